#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) and prints how many inputs each ran
# and what it found. Works from a clean clone: it installs a nightly toolchain and
# cargo-fuzz when they are missing, and seeds the corpora from the fixtures, templates and
# examples. Crashes are saved under fuzz/artifacts/TARGET/; the script exits 1 if there is
# one.
#
#   fuzz/run.sh 300            # five minutes per target
#   fuzz/run.sh 60 edits       # one target
#
# Reproduce a crash with: cd fuzz && cargo +nightly fuzz run -s none TARGET artifacts/TARGET/crash-…
#
# No sanitizer by default: reframe's own code is safe Rust, the C of tree-sitter is not
# instrumented by cargo-fuzz's AddressSanitizer anyway, and ASan makes a run four times
# slower. REFRAME_FUZZ_SANITIZER=address turns it on (for the unsafe code of dependencies).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
sanitizer=${REFRAME_FUZZ_SANITIZER:-none}
[ ${#targets[@]} -gt 0 ] || targets=(document edits)

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Seeds: every markdown file the project ships for testing, as a document; for `edits`,
# the same files followed by the separator and a few bytes of changes.
seeds=(../tests/fixtures/*.md ../tests/fixtures/*/*.md ../tests/fixtures/*/*/*.md
       ../templates/*.md ../examples/*.md)
mkdir -p corpus/document corpus/edits logs
for file in "${seeds[@]}"; do
  [ -f "$file" ] || continue
  name=$(echo "$file" | tr '/.' '__')
  cp "$file" "corpus/document/seed$name"
  # A few bytes after the separator, which fuzz_targets/edits.rs decodes into changes.
  { cat "$file"; printf '\n\0EDITS\0'; printf '\000\003\012\003\014\001\001x'
    printf '\000\005\002\005\004\002\000'; } > "corpus/edits/seed$name"
done

status=0
summary=()
for target in "${targets[@]}"; do
  echo "== fuzzing $target for $seconds s"
  log="logs/$target.log"
  set +e
  cargo +nightly fuzz run -s "$sanitizer" "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=16384 -dict=markdown.dict \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 >"$log" 2>&1
  code=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  crashes=$(find "artifacts/$target" -type f 2>/dev/null | wc -l)
  if [ "$code" -ne 0 ]; then
    status=1
    echo "$target stopped with status $code; the end of $log:"
    tail -n 40 "$log"
  fi
  summary+=("$target: ${runs:-?} inputs in $seconds s, exit $code, $crashes saved crash/timeout/oom inputs in artifacts/$target")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$status"
