// `npm run package`: type-checks, bundles and packages the extension.
//
//   npm run package                                  → reframe.vsix, universal, no server inside
//   npm run package -- --target linux-x64            → reframe-linux-x64.vsix with the server
//   REFRAME_VSCODE_TARGET=linux-x64 npm run package  → the same
//
// A platform-specific .vsix carries the release binary as server/reframe (server/reframe.exe
// for win32-*): --server PATH or $REFRAME_SERVER_BIN, default ../../target/release/reframe
// (reframe.exe for win32-*; build it with `cargo build --release --locked` for that
// platform first). Each target is
// one CI job: build the binary on (or for) the platform, then run this with its target.
// `--out FILE` names the .vsix.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGETS = [
  "win32-x64", "win32-arm64", "linux-x64", "linux-arm64", "linux-armhf",
  "alpine-x64", "alpine-arm64", "darwin-x64", "darwin-arm64",
];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(2);
}

const options = { target: process.env.REFRAME_VSCODE_TARGET || "", server: process.env.REFRAME_SERVER_BIN || "", out: "" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split(/=(.*)/s, 2);
  const key = { "--target": "target", "--server": "server", "--out": "out" }[flag];
  if (!key) fail(`unknown argument ${argv[i]} (--target T, --server PATH, --out FILE)`);
  const value = inline ?? argv[++i];
  if (value === undefined) fail(`${flag} needs a value`);
  options[key] = value;
}
if (options.target && !TARGETS.includes(options.target)) {
  fail(`unknown target ${options.target}; one of ${TARGETS.join(", ")}`);
}

const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: "inherit" });
const npx = (bin) => join(root, "node_modules", ".bin", bin);

run("npm", ["run", "typecheck"]);
run("npm", ["run", "build", "--", "--minify"]);

// server/ holds the bundled binary of a platform build only: a universal .vsix has none.
const serverDir = join(root, "server");
rmSync(serverDir, { recursive: true, force: true });
if (options.target) {
  const exe = options.target.startsWith("win32-") ? "reframe.exe" : "reframe";
  const binary = resolve(options.server || join(root, "..", "..", "target", "release", exe));
  if (!existsSync(binary) || !statSync(binary).isFile()) {
    fail(`no server binary at ${binary}: build it (cargo build --release --locked) or pass --server PATH`);
  }
  mkdirSync(serverDir);
  copyFileSync(binary, join(serverDir, exe));
  chmodSync(join(serverDir, exe), 0o755);
  console.log(`package: bundling ${binary} (${(statSync(binary).size / 1e6).toFixed(1)} MB) as server/${exe}`);
}

const out = options.out || (options.target ? `reframe-${options.target}.vsix` : "reframe.vsix");
const vsce = [
  "package", "--no-dependencies",
  "--baseContentUrl", "https://github.com/reframe-ls/reframe/blob/HEAD/editors/vscode",
  "--baseImagesUrl", "https://github.com/reframe-ls/reframe/raw/HEAD/editors/vscode",
  "--out", out,
];
if (options.target) vsce.push("--target", options.target);
try {
  run(npx("vsce"), vsce);
} finally {
  rmSync(serverDir, { recursive: true, force: true });
}
console.log(`package: ${out} (${(statSync(join(root, out)).size / 1e6).toFixed(1)} MB)`);
