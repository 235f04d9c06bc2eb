// The reframe extension: starts `reframe lsp` for markdown files and passes the user's
// settings to it. Everything reframe shows (diagnostics, quick fixes, outline, hovers,
// completion) comes from the server; this file only starts, configures and restarts it.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

const INSTALL_COMMAND = "cargo install --path .";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let ruleCodes: string[] = [];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("reframe", { log: true });
  // The rule settings are the `reframe.rules.<code>` keys this extension contributes.
  const properties: Record<string, unknown> =
    context.extension.packageJSON?.contributes?.configuration?.properties ?? {};
  ruleCodes = Object.keys(properties)
    .filter((key) => key.startsWith("reframe.rules."))
    .map((key) => key.slice("reframe.rules.".length));

  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("reframe.restartServer", restart),
    vscode.commands.registerCommand("reframe.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("reframe.server")) {
        await restart();
      } else if (event.affectsConfiguration("reframe.rules") && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { reframe: serverSettings() },
        });
      }
    }),
  );
  await start();
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
 * Resolves `reframe.server.path` to an executable: a path (relative to the first workspace
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

async function reportMissingServer(setting: string): Promise<void> {
  const message =
    `reframe: the language server \`${setting}\` was not found. Install it with ` +
    `\`${INSTALL_COMMAND}\` in a reframe checkout, or set reframe.server.path.`;
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
  const setting = config.get<string>("server.path", "reframe").trim() || "reframe";
  const command = findServer(setting);
  if (!command) {
    // Not awaited: the notification stays up without holding activation.
    void reportMissingServer(setting);
    return;
  }
  const args = ["lsp", ...config.get<string[]>("server.extraArgs", [])];
  output.info(`starting ${command} ${args.join(" ")}`);
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
    initializationOptions: { reframe: serverSettings() },
    middleware: {
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
  try {
    await client.start();
  } catch (error) {
    const message = `reframe: could not start ${command}: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
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
