#!/usr/bin/env bash
# The fuzz step of .ci/run: builds the targets with the nightly toolchain and libFuzzer's
# coverage instrumentation (the flags cargo-fuzz passes, without needing cargo-fuzz), then
# runs each target for a fixed number of inputs from the seed corpus. Any crash, timeout
# (an input over 10 s) or out-of-memory (over 2 GB) fails the step: libFuzzer exits
# non-zero and leaves the input in fuzz/artifacts/TARGET/.
#
#   fuzz/ci.sh            # REFRAME_FUZZ_RUNS inputs per target (default 3000: about two minutes for both on two cores, after the build)
#
# Reproduce a saved input with: fuzz/target/x86_64-unknown-linux-gnu/release/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")"
runs=${REFRAME_FUZZ_RUNS:-3000}
targets=(document edits)

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi

triple=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
start=$SECONDS
cargo +nightly build --locked --release --target "$triple" --bins
echo "-- fuzz targets built in $((SECONDS - start)) s"

# Seeds: the markdown files the project ships for testing (see run.sh for the edits form).
mkdir -p corpus/document corpus/edits artifacts
for file in ../tests/fixtures/*.md ../tests/fixtures/*/*.md ../templates/*.md ../examples/*.md; do
  [ -f "$file" ] || continue
  name=$(echo "$file" | tr '/.' '__')
  cp "$file" "corpus/document/seed$name"
  { cat "$file"; printf '\n\0EDITS\0'; printf '\000\003\012\003\014\001\001x'
    printf '\000\005\002\005\004\002\000'; } > "corpus/edits/seed$name"
done

status=0
for target in "${targets[@]}"; do
  start=$SECONDS
  mkdir -p "artifacts/$target"
  set +e
  "target/$triple/release/$target" "corpus/$target" -runs="$runs" -max_len=16384 \
    -dict=markdown.dict -timeout=10 -rss_limit_mb=2048 -max_total_time=600 \
    -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"artifacts/$target.log" 2>&1
  code=$?
  set -e
  executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "artifacts/$target.log" | grep -o '[0-9]*$' | tail -n 1)
  echo "-- fuzz $target: ${executed:-?} inputs in $((SECONDS - start)) s, exit $code"
  if [ "$code" -ne 0 ]; then
    status=1
    tail -n 40 "artifacts/$target.log"
  fi
done
exit "$status"
