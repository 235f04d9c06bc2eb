#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, from Debian's packages and the npm
# registry only: Debian chromium, the build tools code-server's native modules need, and
# code-server 4.100.3 (the newest whose engines accept Node 20) built from its npm package.
#
# Usage: install-code-server.sh DIR   — code-server ends up in DIR/code-server-4.100.3.
# Idempotent: a finished install leaves a marker file and is reused by later runs.
# See ../../../../shared/recipes/editor-testing.md for why each step is here.
set -euo pipefail

version=4.100.3
root=${1:?usage: install-code-server.sh DIR}
dest="$root/code-server-$version"
marker="$dest/.reframe-install-complete"

# One install at a time into the same folder (CI runs and developers may share it).
mkdir -p "$root"
exec 9> "$root/.install.lock"
flock 9

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
for pkg in build-essential pkg-config libkrb5-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -f "$marker" ]; then
  echo "code-server $version already installed in $dest"
  exit 0
fi

rm -rf "$dest"
work=$(mktemp -d "$root/.install.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "code-server@$version" >/dev/null && tar xzf "code-server-$version.tgz")
pkg="$work/package"
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

echo "code-server: installing its node modules"
(cd "$pkg" && npm install --omit=dev --ignore-scripts --no-package-lock --loglevel=error >/dev/null)
(cd "$pkg" && npm rebuild argon2 --loglevel=error >/dev/null)

echo "code-server: installing VS Code's node modules"
vscode="$pkg/lib/vscode"
(cd "$vscode" && npm install --omit=dev --ignore-scripts --no-package-lock --loglevel=error >/dev/null)
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
(cd "$vscode" && npm rebuild kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid \
  native-watchdog node-pty --loglevel=error >/dev/null)
ln -sfn node_modules "$vscode/node_modules.asar"
ln -sfn code-linux.sh "$vscode/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vscode/bin/helpers/browser.sh"
(cd "$vscode/extensions" && npm install --omit=dev --no-package-lock --loglevel=error >/dev/null)

mv "$pkg" "$dest"
touch "$marker"
echo "code-server $version installed in $dest"
