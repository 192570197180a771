#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer, through the Swift toolchain's -sanitize=fuzzer) of every
# decoder of untrusted input: one-time tokens, x5c chains, CSRs (DER and PEM), request bodies, query strings,
# cursors, serials, Go durations and times, templates and their data (Fuzz/Sources/*). Each target starts from its seed corpus in
# Fuzz/Corpus/<target> (read only: new inputs go to a scratch copy) and runs for SECONDS. A crash, a failed
# invariant or a sanitizer report fails the run and prints the input (base64) to turn into a unit test.
#   scripts/fuzz.sh [SECONDS]          (default 30, or WARDEN_FUZZ_SECONDS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-${WARDEN_FUZZ_SECONDS:-30}}
targets=(FuzzOneTimeToken FuzzCertificateRequest FuzzX5CChain FuzzRequestBodies FuzzQueries FuzzTemplates)
echo "building fuzz targets (instrumented build in .build-fuzz)"
swift build --package-path "$root/Fuzz" --scratch-path "$root/.build-fuzz" \
  -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -vE "^\[?[0-9]+/[0-9]+\]? Compiling" | tail -5
bin="$root/.build-fuzz/debug"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
printf '%-24s %12s %10s %8s %8s  %s\n' target executions exec/s cov ft result
for target in "${targets[@]}"; do
  scratch="$work/$target"
  mkdir -p "$scratch"
  set +e
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$bin/$target" "$scratch" "$root/Fuzz/Corpus/$target" \
    -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/$target-" >"$work/$target.log" 2>&1
  status=$?
  set -e
  executions=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/$target.log" | grep -oE '[0-9]+$' || echo 0)
  speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$work/$target.log" | grep -oE '[0-9]+$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$work/$target.log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || echo 0)
  artifact=$(ls "$work/$target-"* 2>/dev/null | head -1 || true)
  if [ "$status" = 0 ] && [ -z "$artifact" ] && [ "${executions:-0}" -gt 0 ]; then result=ok; else result=FAIL; failed=$((failed+1)); fi
  printf '%-24s %12s %10s %8s %8s  %s\n' "$target" "$executions" "$speed" "$cov" "$ft" "$result"
  if [ "$result" = FAIL ]; then
    grep -E "ERROR|Fatal|precondition|SUMMARY|==[0-9]+==" "$work/$target.log" | head -20 | sed 's/^/    /'
    [ -n "$artifact" ] && echo "    crashing input (base64): $(base64 -w0 "$artifact")"
  fi
done
echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed (${seconds}s each)"
[ "$failed" = 0 ]
