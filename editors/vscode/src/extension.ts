// The reframe extension: starts `reframe lsp` for markdown files and passes the user's
// settings to it. Everything reframe shows (diagnostics, quick fixes, outline, hovers,
// completion) comes from the server; this file only finds, starts, configures and
// restarts it, and shows its state and the active write-up's readiness in the status bar.
//
// Which server runs: `reframe.server.path` when set; else the binary bundled in a
// platform-specific .vsix (server/reframe, see scripts/package.mjs); else `reframe` on
// PATH (then ~/.cargo/bin).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

const INSTALL_COMMAND = "pipx install reframe-writeups";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let ruleCodes: string[] = [];
let extensionPath = "";
let status: vscode.StatusBarItem;
/** What the status bar says about the server: its state and which binary runs. */
let serverState: { icon: string; label: string; detail: string } = {
  icon: "$(loading~spin)",
  label: "starting",
  detail: "",
};
/** The readiness of the active write-up, from the outline's first symbol (or undefined). */
let readiness: string | undefined;
let readinessTimer: NodeJS.Timeout | undefined;
let readinessRequest = 0;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("reframe", { log: true });
  extensionPath = context.extensionPath;
  status = vscode.window.createStatusBarItem("reframe.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "reframe";
  status.command = "reframe.showOutput";
  renderStatus();
  // The rule settings are the `reframe.rules.<code>` keys this extension contributes.
  const properties: Record<string, unknown> =
    context.extension.packageJSON?.contributes?.configuration?.properties ?? {};
  ruleCodes = Object.keys(properties)
    .filter((key) => key.startsWith("reframe.rules."))
    .map((key) => key.slice("reframe.rules.".length));

  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand("reframe.restartServer", restart),
    vscode.commands.registerCommand("reframe.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("reframe.newWriteupFromTemplate", newWriteup),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("reframe.server")) {
        await restart();
      } else if (event.affectsConfiguration("reframe.rules") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { reframe: serverSettings() },
        });
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => refreshReadiness(0)),
    // The server publishes diagnostics after each analysis: the readiness may have moved.
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && event.uris.some((uri) => uri.toString() === active)) {
        refreshReadiness(300);
      }
    }),
  );
  await start();
}

/** The status bar item: the server's state, and the active write-up's readiness. */
function renderStatus(): void {
  if (!status) {
    return;
  }
  const text = readiness ? `reframe: ${readiness}` : "reframe";
  status.text = `${serverState.icon} ${text}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.isTrusted = { enabledCommands: ["reframe.showOutput", "reframe.restartServer"] };
  tooltip.appendMarkdown(`**reframe** language server: ${serverState.label}\n\n`);
  if (serverState.detail) {
    tooltip.appendMarkdown(`${serverState.detail}\n\n`);
  }
  if (readiness) {
    tooltip.appendMarkdown(`This write-up: ${readiness} (see the Outline for each section)\n\n`);
  }
  tooltip.appendMarkdown(
    "[Show Output](command:reframe.showOutput) · [Restart Server](command:reframe.restartServer)",
  );
  status.tooltip = tooltip;
  status.accessibilityInformation = { label: `reframe ${serverState.label}${readiness ? `, ${readiness}` : ""}` };
  const editor = vscode.window.activeTextEditor;
  if ((editor && editor.document.languageId === "markdown") || serverState.label !== "running") {
    status.show();
  } else {
    status.hide();
  }
}

function setServerState(icon: string, label: string, detail = serverState.detail): void {
  serverState = { icon, label, detail };
  if (label !== "running") {
    readiness = undefined;
  }
  renderStatus();
}

/**
 * Asks the server for the active document's outline after `delay` ms; the first symbol's
 * detail carries "readiness N/100" for a write-up (nothing for other markdown).
 */
function refreshReadiness(delay: number): void {
  if (readinessTimer) {
    clearTimeout(readinessTimer);
  }
  readinessTimer = setTimeout(() => void readReadiness(), delay);
}

async function readReadiness(): Promise<void> {
  const request = ++readinessRequest;
  const document = vscode.window.activeTextEditor?.document;
  let found: string | undefined;
  if (document && document.languageId === "markdown" && client?.isRunning()) {
    try {
      const symbols = await client.sendRequest(DocumentSymbolRequest.type, {
        textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
      });
      const detail = symbols?.[0] && "detail" in symbols[0] ? symbols[0].detail : undefined;
      const match = detail?.match(/readiness \d+\/100/);
      found = match ? match[0] : undefined;
    } catch (error) {
      output.debug(`reframe: reading the readiness: ${String(error)}`);
    }
  }
  // A later request (another editor, a newer analysis) wins.
  if (request === readinessRequest) {
    readiness = found;
    renderStatus();
  }
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The settings the server reads, under `reframe`: rule severities the user changed. */
function serverSettings(): { rules: Record<string, string> } {
  const config = vscode.workspace.getConfiguration("reframe");
  const rules: Record<string, string> = {};
  for (const code of ruleCodes) {
    const severity = config.get<string>(`rules.${code}`, "default");
    if (severity !== "default") {
      rules[code] = severity;
    }
  }
  return { rules };
}

/** Is `file` an executable regular file? */
function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves a server setting to an executable: a path (relative to the first workspace
 * folder), or a command looked up on PATH and then in ~/.cargo/bin, where
 * `cargo install` puts it even when VS Code was started without it on PATH.
 */
function findServer(setting: string): string | undefined {
  const expanded = setting.replace(/^~(?=$|[\\/])/, os.homedir());
  if (expanded.includes("/") || expanded.includes("\\")) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const absolute = path.isAbsolute(expanded) || !folder ? expanded : path.join(folder, expanded);
    return isExecutable(absolute) ? absolute : undefined;
  }
  const names =
    process.platform === "win32" ? [expanded, `${expanded}.exe`, `${expanded}.cmd`] : [expanded];
  const folders = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  folders.push(path.join(os.homedir(), ".cargo", "bin"));
  for (const folder of folders) {
    for (const name of names) {
      const candidate = path.join(folder, name);
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * The server binary bundled in a platform-specific .vsix (server/reframe), made executable
 * if the install lost its mode; undefined in a universal .vsix.
 */
function bundledServer(): string | undefined {
  const file = path.join(extensionPath, "server", process.platform === "win32" ? "reframe.exe" : "reframe");
  if (!fs.existsSync(file)) {
    return undefined;
  }
  if (!isExecutable(file)) {
    try {
      fs.chmodSync(file, 0o755);
    } catch (error) {
      output.warn(`reframe: could not make ${file} executable: ${String(error)}`);
    }
  }
  return isExecutable(file) ? file : undefined;
}

/** The server to run and where it came from, or the name that was looked for. */
function resolveServer(setting: string): { command?: string; source: string } {
  if (setting) {
    return { command: findServer(setting), source: `reframe.server.path (${setting})` };
  }
  const bundled = bundledServer();
  if (bundled) {
    return { command: bundled, source: "bundled with the extension" };
  }
  return { command: findServer("reframe"), source: "reframe on PATH" };
}

async function reportMissingServer(setting: string): Promise<void> {
  const message =
    `reframe: the language server \`${setting}\` was not found. Install it with ` +
    `\`${INSTALL_COMMAND}\` (or use the extension for your platform, which has it built in), ` +
    `or set reframe.server.path.`;
  output.error(message);
  const choice = await vscode.window.showErrorMessage(
    message,
    "Copy Install Command",
    "Open Settings",
  );
  if (choice === "Copy Install Command") {
    await vscode.env.clipboard.writeText(INSTALL_COMMAND);
  } else if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "reframe.server.path");
  }
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration("reframe");
  const setting = config.get<string>("server.path", "").trim();
  const { command, source } = resolveServer(setting);
  if (!command) {
    setServerState("$(error)", "not found", `\`${setting || "reframe"}\` was not found`);
    // Not awaited: the notification stays up without holding activation.
    void reportMissingServer(setting || "reframe");
    return;
  }
  const args = ["lsp", ...config.get<string[]>("server.extraArgs", [])];
  output.info(`starting ${command} ${args.join(" ")} (${source})`);
  setServerState("$(loading~spin)", "starting", `\`${command}\` (${source})`);
  const serverOptions: ServerOptions = {
    run: { command, args },
    debug: { command, args },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "untitled", language: "markdown" },
    ],
    outputChannel: output,
    // showsQuestionList: the list of follow-up questions ("N questions: show all" lens)
    // opens here as a markdown document instead of a notification.
    initializationOptions: { reframe: serverSettings(), showsQuestionList: true },
    middleware: {
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === "reframe.showQuestions" && typeof result === "string") {
          const document = await vscode.workspace.openTextDocument({ content: result, language: "markdown" });
          await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        }
        return result;
      },
      workspace: {
        // Answer workspace/configuration for `reframe` with the same settings.
        configuration: (params, token, next) =>
          params.items.some((item) => item.section === "reframe")
            ? params.items.map((item) => (item.section === "reframe" ? serverSettings() : null))
            : next(params, token),
      },
    },
  };
  client = new LanguageClient("reframe", "reframe", serverOptions, clientOptions);
  const started = client;
  started.onDidChangeState(({ newState }) => {
    if (client !== started) {
      return;
    }
    if (newState === State.Running) {
      setServerState("$(check)", "running");
      refreshReadiness(0);
    } else if (newState === State.Starting) {
      setServerState("$(loading~spin)", "starting");
    } else {
      setServerState("$(circle-slash)", "stopped");
    }
  });
  try {
    await client.start();
  } catch (error) {
    const message = `reframe: could not start ${command}: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    setServerState("$(error)", "failed to start");
    void vscode.window.showErrorMessage(message, "Show Output").then((choice) => {
      if (choice) {
        output.show(true);
      }
    });
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  setServerState("$(circle-slash)", "stopped");
  if (running) {
    try {
      await running.stop();
    } catch (error) {
      output.warn(`reframe: stopping the server: ${String(error)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

/** A template the server knows, as `reframe.templates` lists it. */
interface TemplateItem {
  name: string;
  summary: string;
}

/**
 * "reframe: New Write-up from Template…": a quick pick of the templates the server knows
 * (`reframe.templates`), then `reframe.newWriteup NAME URI`, which the server answers with
 * `workspace/applyEdit`: into the active editor when it is an empty markdown document,
 * else into a new file chosen in a save dialog (created by the edit, then opened). The
 * server's own command id is registered by the language client; this one has its own.
 */
async function newWriteup(): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showWarningMessage("reframe: the language server is not running.");
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const emptyMarkdown =
    editor && editor.document.languageId === "markdown" && editor.document.getText().trim() === ""
      ? editor.document
      : undefined;
  const folderUri = emptyMarkdown?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const listed = await client.sendRequest(ExecuteCommandRequest.type, {
    command: "reframe.templates",
    arguments: folderUri ? [client.code2ProtocolConverter.asUri(folderUri)] : [],
  });
  const templates: TemplateItem[] = Array.isArray(listed) ? listed : [];
  const picked = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.name, detail: t.summary })),
    { title: "reframe: new write-up from a template", placeHolder: "Pick a template" },
  );
  if (!picked) {
    return;
  }
  let target = emptyMarkdown?.uri;
  if (!target) {
    target = await vscode.window.showSaveDialog({
      title: `New ${picked.label} write-up`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri.with({
        path: path.posix.join(vscode.workspace.workspaceFolders[0].uri.path, `${picked.label}.md`),
      }),
      filters: { Markdown: ["md"] },
    });
    if (!target) {
      return;
    }
  }
  try {
    await client.sendRequest(ExecuteCommandRequest.type, {
      command: "reframe.newWriteup",
      arguments: [picked.label, client.code2ProtocolConverter.asUri(target)],
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`reframe: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (!emptyMarkdown) {
    const document = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(document);
  }
}
