#!/usr/bin/env bash
# The steps of action.yml. Installs reframe into a virtual environment with
# `pip install "$GITHUB_ACTION_PATH"` (pyproject.toml at the root: the reframe-writeups
# wheel, no Rust), then runs `reframe check --format github` on INPUT_PATHS and, when
# INPUT_SARIF is set, writes a SARIF report there as well. Exits with reframe's status
# (0 clean, 1 findings at or above INPUT_FAIL_ON, 2 usage or I/O errors).
#
# Environment (set by action.yml; tests/install/run.sh sets them by hand):
#   GITHUB_ACTION_PATH  this repository's checkout        (default: two folders up)
#   RUNNER_TEMP         where the virtual environment goes (default: a temp folder)
#   GITHUB_OUTPUT       where the `sarif` output is written (optional)
#   INPUT_PATHS INPUT_FAIL_ON INPUT_SARIF INPUT_ARGS INPUT_PYTHON
# pip's own variables apply: PIP_FIND_LINKS=folder-with-the-wheel installs a local build.
set -euo pipefail

action=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
temp=${RUNNER_TEMP:-$(mktemp -d)}
venv="$temp/reframe-venv"
python=${INPUT_PYTHON:-python3}
fail_on=${INPUT_FAIL_ON:-warning}
read -r -a paths <<< "${INPUT_PATHS:-.}"
read -r -a args <<< "${INPUT_ARGS:-}"

echo "::group::Install reframe"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$action"
"$venv/bin/reframe" --version
echo "::endgroup::"

status=0
"$venv/bin/reframe" check --format github --fail-on "$fail_on" "${args[@]}" "${paths[@]}" || status=$?
if [ -n "${INPUT_SARIF:-}" ]; then
  mkdir -p "$(dirname "$INPUT_SARIF")"
  sarif_status=0
  "$venv/bin/reframe" check --format sarif --fail-on "$fail_on" "${args[@]}" "${paths[@]}" \
    > "$INPUT_SARIF" || sarif_status=$?
  # 0 and 1 both wrote a report; 2 is an error.
  if [ "$sarif_status" -gt 1 ]; then
    echo "::error::reframe could not write the SARIF report (exit $sarif_status)"
    exit "$sarif_status"
  fi
  echo "SARIF report: $INPUT_SARIF"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif=$INPUT_SARIF" >> "$GITHUB_OUTPUT"; fi
fi
exit "$status"
