#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code: installs reframe.vsix into
# code-server 4.100.3 and drives it in headless Debian Chromium with playwright-core
# (test/e2e.mjs): problems listed with source reframe, a quick fix applied from the
# lightbulb menu, the text changed, the finding gone, a rule turned off from the settings,
# the "server not found" notification, and a screenshot saved to images/screenshot.png for
# the README.
#
# Needs: `npm ci && npm run package` done in editors/vscode, and a built reframe binary
# ($REFRAME_BIN, default target/debug/reframe). Installs code-server and Chromium itself
# (test/install-code-server.sh) into $REFRAME_CACHE_DIR (default ~/.cache/reframe-ci).
# Debug screenshots and logs go to $REFRAME_E2E_ARTIFACTS (default a temp folder).
#
# REFRAME_E2E_MODE=bundled tests a platform .vsix (REFRAME_VSIX, from `npm run package --
# --target linux-x64`) the way a user without Rust gets it: no reframe setting at all, no
# `reframe` or `cargo` on code-server's PATH and a HOME without ~/.cargo. The problems
# must show, a quick fix apply, the status bar show the readiness, and a save with
# "editor.codeActionsOnSave": {"source.fixAll.reframe": "explicit"} apply the safe fixes;
# the extension's log must name the bundled server.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
extension=$(dirname "$here")
repo=$(cd "$extension/../.." && pwd)
bin=${REFRAME_BIN:-$repo/target/debug/reframe}
vsix=${REFRAME_VSIX:-$extension/reframe.vsix}
cache=${REFRAME_CACHE_DIR:-$HOME/.cache/reframe-ci}
mode=${REFRAME_E2E_MODE:-settings}

fail() { echo "e2e: $*" >&2; exit 1; }
case "$mode" in
  settings) [ -x "$bin" ] || fail "no reframe binary at $bin (cargo build, or set REFRAME_BIN)" ;;
  bundled)
    python3 -c 'import sys, zipfile; sys.exit("extension/server/reframe" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$vsix" \
      || fail "$vsix has no extension/server/reframe (npm run package -- --target linux-x64)" ;;
  *) fail "REFRAME_E2E_MODE is settings or bundled, not $mode" ;;
esac
[ -f "$vsix" ] || fail "no $vsix (run npm ci && npm run package in editors/vscode)"
[ -d "$extension/node_modules/playwright-core" ] || fail "playwright-core missing (npm ci in editors/vscode)"

bash "$here/install-code-server.sh" "$cache"
code_server=(node "$cache/code-server-4.100.3/out/node/entry.js")

scratch=$(mktemp -d /tmp/reframe-vscode-e2e.XXXXXX)
artifacts=${REFRAME_E2E_ARTIFACTS:-$scratch/artifacts}
mkdir -p "$scratch/user-data/User" "$scratch/extensions" "$scratch/writeups" "$artifacts"
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -z "${REFRAME_E2E_ARTIFACTS:-}" ]; then rm -rf "$scratch"; fi
}
trap cleanup EXIT

cp "$repo/examples/ci-migration.md" "$scratch/writeups/ci-migration.md"
# An empty markdown file for "reframe: New Write-up from Template…" to fill.
: > "$scratch/writeups/new-story.md"
# What code-server runs with: in bundled mode no reframe setting, and a PATH and HOME
# where no reframe (and no Rust toolchain) can be found.
code_server_env=()
if [ "$mode" = bundled ]; then
  extra_settings='"editor.codeActionsOnSave": { "source.fixAll.reframe": "explicit" },'
  mkdir -p "$scratch/home"
  clean_path="$(dirname "$(command -v node)"):/usr/local/bin:/usr/bin:/bin"
  for tool in reframe cargo rustc; do
    if PATH="$clean_path" command -v "$tool" > /dev/null; then
      fail "$tool is on the clean PATH ($(PATH="$clean_path" command -v "$tool")): the test would not prove the bundled server runs"
    fi
  done
  code_server_env=(env PATH="$clean_path" HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/home/.config" XDG_DATA_HOME="$scratch/home/.local/share")
else
  extra_settings="\"reframe.server.path\": \"$bin\","
fi
# A fresh user-data-dir each run: nothing restored from a previous session.
cat > "$scratch/user-data/User/settings.json" <<JSON
{
  $extra_settings
  "files.hotExit": "off",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.colorTheme": "Default Light Modern",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.commandCenter.enabled": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "editor.fontSize": 14,
  "editor.wordWrap": "on",
  "editor.lightbulb.enabled": "on"
}
JSON

"${code_server_env[@]}" "${code_server[@]}" --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  --install-extension "$vsix" > "$artifacts/install.log" 2>&1 \
  || { cat "$artifacts/install.log"; fail "installing $vsix failed"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${code_server_env[@]}" "${code_server[@]}" --bind-addr "127.0.0.1:$port" --auth none \
  --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  --disable-workspace-trust --disable-telemetry --disable-update-check \
  --disable-getting-started-override "$scratch/writeups" > "$artifacts/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$artifacts/code-server.log"; fail "code-server exited"; }
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null || fail "code-server did not come up on port $port"

status=0
# The README's screenshot comes from the settings run; a bundled run keeps its own.
screenshot="$extension/images/screenshot.png"
[ "$mode" = bundled ] && screenshot="$artifacts/bundled.png"
E2E_URL="http://127.0.0.1:$port/?folder=$scratch/writeups" \
  E2E_WORKSPACE="$scratch/writeups" \
  E2E_ARTIFACTS="$artifacts" \
  E2E_SCREENSHOT="$screenshot" \
  E2E_MODE="$mode" \
  node "$here/e2e.mjs" || status=$?
if [ "$status" -eq 0 ] && [ "$mode" = bundled ]; then
  # The extension logs which server it started; it must be the one inside the extension.
  started=$(find "$scratch/user-data/logs" -name '*reframe*.log' -exec grep -h 'starting ' {} + 2>/dev/null | head -n 1)
  echo "e2e: extension log: ${started#*] }"
  case "$started" in
    *"$scratch/extensions/"*"/server/reframe lsp"*"(bundled with the extension)"*) ;;
    *) echo "e2e: the extension did not start its bundled server (log: ${started:-nothing})" >&2; status=1 ;;
  esac
fi
if [ "$status" -ne 0 ]; then
  echo "--- code-server log (tail) ---"; tail -n 40 "$artifacts/code-server.log"
  # The extension host's log, with the server's stderr, is under the user-data-dir.
  find "$scratch/user-data/logs" -name '*reframe*' -exec sh -c 'echo "--- $1"; tail -n 40 "$1"' _ {} \; 2>/dev/null || true
  echo "screenshots and logs: $artifacts (kept when REFRAME_E2E_ARTIFACTS is set)"
fi
exit "$status"
