// Drives code-server (a real VS Code) with the reframe extension installed, in headless
// Debian Chromium. Started by test/e2e.sh, which sets:
//   E2E_URL         the workbench URL, opened on a folder holding ci-migration.md
//   E2E_WORKSPACE   that folder (its .vscode/settings.json is written for the "server not
//                   found" check)
//   E2E_ARTIFACTS   where debug screenshots go
//   E2E_SCREENSHOT  where the README screenshot goes
//   E2E_MODE        `settings` (reframe.server.path points at a build: rule settings and
//                   the missing-binary notification are tested) or `bundled` (the
//                   platform .vsix alone, no settings: the status bar's readiness and
//                   source.fixAll.reframe on save are tested)
// Exits non-zero, naming the step, when anything a user would see is wrong.

import { chromium } from "playwright-core";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

const env = process.env;
const FILE = "ci-migration.md";
const MODE = env.E2E_MODE ?? "settings";
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`e2e [${elapsed()}] ${message}`);
// Monaco renders spaces as U+00A0.
const normalise = (text) => text.replace(/\u00a0/g, " ").replace(/\s+/g, " ").trim();

class Failure extends Error {}
function check(ok, message) {
  if (!ok) throw new Failure(message);
}

const browser = await chromium.launch({
  executablePath: env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
let step = "start";
const snap = (name) =>
  page.screenshot({ path: join(env.E2E_ARTIFACTS, `${name}.png`) }).catch(() => {});

/** The texts of the Problems panel's rows. */
async function problemRows() {
  const rows = page.locator(".markers-panel .monaco-list-row");
  return (await rows.allInnerTexts()).map(normalise);
}

/** Reads `read()` until `predicate` holds of it (or the time is up); returns the last read. */
async function poll(read, predicate, timeout) {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!predicate(value) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    value = await read();
  }
  return value;
}

/** Waits until `predicate(rows)` holds for the Problems panel; returns the rows. */
async function waitForProblems(predicate, what, timeout = 15000) {
  const rows = await poll(problemRows, predicate, timeout);
  check(predicate(rows), `${what}; the Problems panel shows:\n  ${rows.join("\n  ")}`);
  return rows;
}

/** The count on the Problems panel's row for the file. */
function problemCount(rows) {
  const match = rows.map((row) => row.match(/^ci-migration\.md (\d+)$/)).find(Boolean);
  return match ? Number(match[1]) : 0;
}

/** The text of the editor's rendered lines. */
async function editorText() {
  const lines = await page.locator(".editor-instance .view-lines .view-line").allInnerTexts();
  return lines.map(normalise).join("\n");
}

try {
  step = "open the workbench";
  await page.goto(env.E2E_URL);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  log("workbench loaded");

  step = `open ${FILE} from the Explorer`;
  const entry = page.locator(".explorer-folders-view .monaco-list-row", { hasText: FILE });
  await entry.waitFor({ timeout: 30000 });
  await entry.dblclick();
  await page.locator(".editor-instance .view-lines").waitFor({ timeout: 30000 });
  log(`${FILE} open`);

  step = "wait for reframe's squiggles";
  await page.locator(".editor-instance .squiggly-warning").first().waitFor({ timeout: 30000 });
  log("squiggles shown");

  step = "read the Problems panel";
  await page.locator(".editor-instance .view-lines").click();
  await page.keyboard.press("Control+Shift+M");
  await page.locator(".markers-panel").waitFor({ timeout: 15000 });
  // The file's row carries the count; wait until the server's whole list has arrived
  // (the example has 12 findings of severity information or above: the Problems panel
  // leaves hints out).
  const rows = await waitForProblems(
    (rows) => problemCount(rows) >= 10,
    "fewer than 10 problems listed for ci-migration.md",
  );
  // The panel renders only the rows in view: "message reframe code [Ln L, Col C]".
  const problems = rows
    .map((row) => row.match(/^(.*) (\S+) (\S+) \[Ln (\d+), Col (\d+)\]$/))
    .filter(Boolean)
    .map(([, message, source, code, line, col]) => ({ message, source, code, line: +line, col: +col }));
  check(problems.length >= 5, `too few problem rows in view:\n  ${rows.join("\n  ")}`);
  for (const problem of problems) {
    check(problem.source === "reframe", `a problem not from reframe: ${JSON.stringify(problem)}`);
  }
  const expected = [
    { code: "weak-verb", line: 13, col: 23 },
    { code: "placeholder", line: 14, col: 18 },
    { code: "minimizer", line: 25, col: 28 },
  ];
  for (const { code, line, col } of expected) {
    check(
      problems.some((p) => p.code === code && p.line === line && p.col === col),
      `no reframe ${code} problem at [Ln ${line}, Col ${col}] among:\n  ${rows.join("\n  ")}`,
    );
  }
  log(`${problemCount(rows)} problems; in view: ${problems.map((p) => `${p.code}@${p.line}:${p.col}`).join(", ")}`);

  step = "put the cursor on the weak verb (line 13)";
  await page.keyboard.press("Control+G");
  await page.keyboard.type("13:23");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(300);

  step = "open the lightbulb menu";
  // The lightbulb appears at the cursor once the server has answered codeAction.
  const lightbulb = page.locator(".contentWidgets .lightBulbWidget");
  await lightbulb.first().waitFor({ timeout: 15000 });
  await lightbulb.first().click();
  const menu = page.locator(".action-widget");
  await menu.waitFor({ state: "visible", timeout: 10000 });
  const items = (await menu.locator(".monaco-list-row").allInnerTexts()).map(normalise);
  log(`lightbulb menu: ${items.join(" | ")}`);
  check(
    items.some((item) => item.includes("with “led”")),
    `the lightbulb menu has no "led" rewrite for "helped with": ${items.join(" | ")}`,
  );
  await page.waitForTimeout(300);
  mkdirSync(dirname(env.E2E_SCREENSHOT), { recursive: true });
  await page.screenshot({ path: env.E2E_SCREENSHOT });
  log(`screenshot saved: ${env.E2E_SCREENSHOT}`);

  step = "apply the quick fix";
  // Focus the "led" rewrite, then apply it with Enter (clicking items is unreliable).
  const ledIndex = items.findIndex((item) => item.includes("with “led”"));
  const focusedIndex = async () =>
    (await menu.locator(".monaco-list-row").evaluateAll((rows) =>
      rows.findIndex((row) => row.classList.contains("focused")),
    ));
  for (let i = 0; i < items.length && (await focusedIndex()) !== ledIndex; i++) {
    await page.keyboard.press("ArrowDown");
  }
  await page.keyboard.press("Enter");
  await menu.waitFor({ state: "hidden", timeout: 10000 });

  step = "check the text changed";
  const text = await poll(editorText, (text) => text.includes("I led the migration"), 10000);
  check(
    text.includes("- **What You Did**: I led the migration of our deployment pipelines"),
    `the line was not rewritten to "I led the migration …":\n${text}`,
  );
  check(!text.includes("helped with"), `"helped with" is still in the editor:\n${text}`);
  log('quick fix applied: "I helped with the migration" → "I led the migration"');

  step = "check the finding is gone";
  const after = await waitForProblems(
    (rows) =>
      !rows.some((row) => row.includes("reframe weak-verb [Ln 13,")) &&
      rows.some((row) => row.includes("reframe placeholder [Ln 14,")),
    "the weak-verb problem for “helped with” is still listed after the fix",
  );
  log(`problems after the fix: ${problemCount(after)}`);
  await snap("after-fix");

  step = "read the readiness in the status bar";
  // The extension reads it from the outline's first symbol ("readiness N/100").
  const statusItem = page.locator(".statusbar-item", { hasText: /reframe: readiness \d+\/100/ });
  await statusItem.first().waitFor({ timeout: 15000 });
  const statusText = normalise(await statusItem.first().innerText());
  const score = Number(statusText.match(/readiness (\d+)\/100/)[1]);
  check(score > 0 && score <= 100, `a readiness out of range in the status bar: ${statusText}`);
  log(`status bar: ${statusText}`);

  if (MODE === "bundled") {
    step = "save: codeActionsOnSave applies source.fixAll.reframe";
    // Bring line 25 ("I just set up …") into view: Monaco renders only the visible lines.
    await page.keyboard.press("Control+G");
    await page.keyboard.type("25:28");
    await page.keyboard.press("Enter");
    await page.waitForTimeout(300);
    const before = await editorText();
    check(
      before.includes("I just set up reusable"),
      `the minimiser “I just set up” is not in the editor before saving:\n${before}`,
    );
    await page.keyboard.press("Control+S");
    const saved = await poll(
      editorText,
      (text) => text.includes("Solution Overview**: I set up reusable"),
      15000,
    );
    check(
      saved.includes("Solution Overview**: I set up reusable") && !saved.includes("I just set up"),
      `saving did not drop the minimiser “just” (source.fixAll.reframe):\n${saved}`,
    );
    // The fixed text is what was written to disk.
    const onDisk = await poll(
      async () => readFileSync(join(env.E2E_WORKSPACE, FILE), "utf8"),
      (text) => text.includes("I set up reusable"),
      10000,
    );
    check(
      onDisk.includes("- **Solution Overview**: I set up reusable GitHub Actions workflows") &&
        onDisk.includes("I led the migration") &&
        !onDisk.includes("I just set up"),
      `the saved file does not hold the quick fix and the safe fixes:\n${onDisk}`,
    );
    const fixedOnSave = [
      ["“just” dropped", !onDisk.includes("I just set up")],
      ["“some” dropped", onDisk.includes("I wrote Terraform for")],
      ["heading completed", onDisk.includes("## 5. Impact (Ops Style)")],
    ].filter(([, done]) => done).map(([what]) => what);
    log(`saved with the safe fixes: ${fixedOnSave.join(", ")}`);
    await waitForProblems(
      (rows) => !rows.some((row) => row.includes("reframe minimizer [Ln 25,")),
      "the minimizer problem on line 25 is still listed after saving",
    );
    const statusAfter = normalise(await statusItem.first().innerText());
    log(`status bar after saving: ${statusAfter}`);
    await page.screenshot({ path: env.E2E_SCREENSHOT });
    console.log(`e2e: passed in ${elapsed()}`);
    await browser.close();
    process.exit(0);
  }

  step = "accept a heading completion";
  // A new last line "## Int": the suggest widget offers the template's missing heading,
  // and Enter replaces the whole typed line with it.
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.keyboard.type("## Int");
  await page.waitForTimeout(300);
  await page.keyboard.press("Control+Space");
  const suggest = page.locator(".editor-widget.suggest-widget");
  await suggest.waitFor({ state: "visible", timeout: 15000 });
  const offered = await poll(
    async () => (await suggest.locator(".monaco-list-row").allInnerTexts()).map(normalise),
    (rows) => rows.some((row) => row.includes("## 8. Interview Framing")),
    10000,
  );
  log(`suggestions for "## Int": ${offered.join(" | ")}`);
  check(
    offered.some((row) => row.includes("## 8. Interview Framing")),
    `no "## 8. Interview Framing" suggestion for "## Int": ${offered.join(" | ")}`,
  );
  await page.keyboard.press("Enter");
  await suggest.waitFor({ state: "hidden", timeout: 10000 });
  const completed = await poll(editorText, (text) => text.includes("## 8. Interview Framing"), 10000);
  check(
    completed.split("\n").some((line) => line === "## 8. Interview Framing"),
    `accepting did not give the line "## 8. Interview Framing":\n${completed}`,
  );
  check(!completed.includes("## Int\n") && !completed.endsWith("## Int"), `the typed "## Int" is left:\n${completed}`);
  log('completion accepted: "## Int" → "## 8. Interview Framing"');

  step = "run a code lens";
  // The lenses sit above the "6. Decisions & Trade-offs" heading: "N questions: show all"
  // and "Note: …" per question; clicking a note lens inserts its question as a callout.
  await page.keyboard.press("Control+G");
  await page.keyboard.type("49:1");
  await page.keyboard.press("Enter");
  const lens = page.locator(".contentWidgets .codelens-decoration a", { hasText: /^Note: / });
  await lens.first().waitFor({ timeout: 15000 });
  const lensTitles = (await page.locator(".contentWidgets .codelens-decoration a").allInnerTexts()).map(normalise);
  log(`code lenses: ${lensTitles.join(" | ")}`);
  check(lensTitles.every((title) => title.length <= 44), `a code lens title is long: ${lensTitles.join(" | ")}`);
  const noteTitle = normalise(await lens.first().innerText());
  await lens.first().click();
  const noted = await poll(editorText, (text) => text.includes("> [!question] "), 10000);
  const question = noteTitle.replace(/^Note: /, "").replace(/…$/, "");
  check(
    noted.split("\n").some((line) => line.startsWith("> [!question] ") && line.includes(question)),
    `running "${noteTitle}" did not add "> [!question] …":\n${noted}`,
  );
  log(`code lens run: "${noteTitle}" added its question as a callout`);
  await snap("after-lens");

  step = "show all the questions";
  // The "N questions: show all" lens: the extension opens the server's list beside the
  // write-up as a markdown document.
  const showAll = page.locator(".contentWidgets .codelens-decoration a", { hasText: /questions: show all$/ });
  await showAll.first().click();
  const listTab = page.locator(".tabs-container .tab", { hasText: "Untitled" });
  await listTab.first().waitFor({ timeout: 10000 });
  const listed = await poll(
    async () => normalise((await page.locator(".editor-group-container.active .view-lines").first().innerText().catch(() => ""))),
    (text) => text.includes("Questions an interviewer may ask"),
    10000,
  );
  check(
    listed.includes("Questions an interviewer may ask") && listed.includes(question),
    `"show all" did not open the list of questions: ${listed}`,
  );
  // A list, not a write-up: reframe reports nothing in it.
  const listProblems = await problemRows();
  check(
    !listProblems.some((row) => row.startsWith("Untitled")),
    `the questions list got problems of its own:\n  ${listProblems.join("\n  ")}`,
  );
  log("code lens run: the questions list opened beside the write-up");
  await snap("questions-list");
  // Back to the write-up for the steps after.
  await page.locator(".tabs-container .tab", { hasText: FILE }).first().click();

  step = "start a write-up from a template";
  // "reframe: New Write-up from Template…" in the empty new-story.md: a quick pick of the
  // server's templates; picking star fills the document with the STAR scaffold.
  await page.keyboard.press("Control+P");
  await page.keyboard.type("new-story.md");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "new-story.md" }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press("Enter");
  const activeGroup = page.locator(".editor-group-container.active");
  await activeGroup.locator(".tab.active", { hasText: "new-story.md" }).waitFor({ timeout: 15000 });
  await activeGroup.locator(".view-lines").first().click();
  const activeText = async () =>
    (await activeGroup.locator(".view-lines .view-line").allInnerTexts()).map(normalise).join("\n");
  await page.keyboard.press("F1");
  await page.keyboard.type("reframe: New Write-up from Template");
  const commandRow = page.locator(".quick-input-list .monaco-list-row", { hasText: "New Write-up from Template" });
  await commandRow.first().waitFor({ timeout: 10000 });
  await page.keyboard.press("Enter");
  const starRow = page.locator(".quick-input-list .monaco-list-row", { hasText: "interview stories" });
  await starRow.first().waitFor({ timeout: 10000 });
  const pickRows = (await page.locator(".quick-input-list .monaco-list-row").allInnerTexts()).map(normalise);
  check(
    ["star", "brag-doc", "case-study"].every((name) => pickRows.some((row) => row.startsWith(name))),
    `the template pick list lacks built-in templates:\n  ${pickRows.join("\n  ")}`,
  );
  await page.keyboard.type("star");
  await page.keyboard.press("Enter");
  const scaffolded = await poll(activeText, (text) => text.includes("template: star"), 10000);
  check(
    scaffolded.startsWith("---") && scaffolded.includes("template: star") && scaffolded.includes("Situation"),
    `picking star did not fill new-story.md with the STAR scaffold:\n${scaffolded}`,
  );
  log("new write-up: new-story.md filled from the star template");
  await snap("new-writeup");
  await page.locator(".tabs-container .tab", { hasText: FILE }).first().click();

  // Settings are changed through the workspace's .vscode/settings.json, which VS Code
  // watches (code-server does not pick up edits to the user settings file).
  const workspaceSettings = (settings) => {
    mkdirSync(join(env.E2E_WORKSPACE, ".vscode"), { recursive: true });
    writeFileSync(join(env.E2E_WORKSPACE, ".vscode", "settings.json"), JSON.stringify(settings));
  };

  step = "turn the hedge rule off in the settings";
  check(
    after.some((row) => row.includes("reframe hedge [Ln 32,")),
    `no hedge problem to turn off:\n  ${after.join("\n  ")}`,
  );
  workspaceSettings({ "reframe.rules.hedge": "off" });
  const withoutHedges = await waitForProblems(
    (rows) => rows.length > 0 && !rows.some((row) => row.includes("reframe hedge ")),
    '"reframe.rules.hedge": "off" did not remove the hedge problems: the extension sends ' +
      "it as workspace/didChangeConfiguration {reframe: {rules: {hedge: \"off\"}}}; " +
      "the server does not apply it yet",
  );
  log(`hedge rule off: ${problemCount(withoutHedges)} problems`);

  step = "point reframe.server.path at a missing binary";
  // Changing reframe.server.* restarts the server, which is now not found.
  workspaceSettings({ "reframe.rules.hedge": "off", "reframe.server.path": "/nonexistent/reframe" });
  const toast = page.locator(".notification-toast", { hasText: "pipx install reframe-writeups" });
  await toast.waitFor({ timeout: 20000 });
  const message = normalise(await toast.locator(".notification-list-item-message").innerText());
  const buttons = normalise(await toast.locator(".notification-list-item-buttons-container").innerText());
  check(
    message.includes("`/nonexistent/reframe` was not found") && buttons.includes("Copy Install Command"),
    `unexpected notification: ${message} [${buttons}]`,
  );
  log(`not-found notification: ${message} [${buttons}]`);
  await page.waitForTimeout(500);
  await snap("not-found");

  console.log(`e2e: passed in ${elapsed()}`);
  await browser.close();
} catch (error) {
  await snap("failure");
  console.error(`e2e: FAILED at step "${step}" after ${elapsed()}: ${error.message ?? error}`);
  if (!(error instanceof Failure)) console.error(error.stack);
  await browser.close();
  process.exit(1);
}
