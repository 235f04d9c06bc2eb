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
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
extension=$(dirname "$here")
repo=$(cd "$extension/../.." && pwd)
bin=${REFRAME_BIN:-$repo/target/debug/reframe}
vsix=${REFRAME_VSIX:-$extension/reframe.vsix}
cache=${REFRAME_CACHE_DIR:-$HOME/.cache/reframe-ci}

fail() { echo "e2e: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "no reframe binary at $bin (cargo build, or set REFRAME_BIN)"
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
# A fresh user-data-dir each run: nothing restored from a previous session.
cat > "$scratch/user-data/User/settings.json" <<JSON
{
  "reframe.server.path": "$bin",
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

"${code_server[@]}" --user-data-dir "$scratch/user-data" --extensions-dir "$scratch/extensions" \
  --install-extension "$vsix" > "$artifacts/install.log" 2>&1 \
  || { cat "$artifacts/install.log"; fail "installing $vsix failed"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${code_server[@]}" --bind-addr "127.0.0.1:$port" --auth none \
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
E2E_URL="http://127.0.0.1:$port/?folder=$scratch/writeups" \
  E2E_WORKSPACE="$scratch/writeups" \
  E2E_ARTIFACTS="$artifacts" \
  E2E_SCREENSHOT="$extension/images/screenshot.png" \
  node "$here/e2e.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- code-server log (tail) ---"; tail -n 40 "$artifacts/code-server.log"
  # The extension host's log, with the server's stderr, is under the user-data-dir.
  find "$scratch/user-data/logs" -name '*reframe*' -exec sh -c 'echo "--- $1"; tail -n 40 "$1"' _ {} \; 2>/dev/null || true
  echo "screenshots and logs: $artifacts (kept when REFRAME_E2E_ARTIFACTS is set)"
fi
exit "$status"
