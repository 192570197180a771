#!/usr/bin/env bash
# Runs every Warden test: the OpenAPI document, unit and PostgreSQL-backed Swift tests, end-to-end over TLS,
# fuzzing, interop with smallstep's client code, templates against Go and step-ca, webhooks, schemathesis, the
# CLI, hardening, serving (signals, TLS,
# metrics), several instances, faults, the console in tmux and the demo. Every suite runs even when an earlier
# one fails; the last line sums up the counts of all of them, and the exit status is non-zero if any failed.
# Uses WARDEN_TEST_DATABASE_URL when set; otherwise starts a private PostgreSQL cluster and stops it after.
#   scripts/test.sh            (WARDEN_FUZZ_SECONDS=N sets the fuzzing time per target, default 30)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster=
cleanup() { [ -n "$cluster" ] && "$root/scripts/postgres-cluster.sh" stop "$cluster"; rm -rf "${cluster:-/nonexistent}"; }
trap cleanup EXIT
if [ -z "${WARDEN_TEST_DATABASE_URL:-}" ]; then
  cluster=$(mktemp -d /tmp/warden-pg.XXXXXX)
  chmod 755 "$cluster"   # the server runs as the postgres user when we are root
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  WARDEN_TEST_DATABASE_URL=$(WARDEN_PG_THROWAWAY=1 "$root/scripts/postgres-cluster.sh" start "$cluster/data" "$port") || exit 1
  export WARDEN_TEST_DATABASE_URL
fi
logs=$(mktemp -d /tmp/warden-test-logs.XXXXXX)
summary=()
failed_suites=()
total_passed=0
total_failed=0

# suite NAME COMMAND...: runs it with its output shown, then records "NAME: P passed, F failed" from the last
# line of that shape it printed (a suite that crashes before printing one counts as one failure).
suite() {
  local name=$1; shift
  echo "== $name"
  local start=$SECONDS
  "$@" 2>&1 | tee "$logs/$name.log"
  local status=${PIPESTATUS[0]}
  local line passed failed
  line=$(grep -E '^[A-Za-z0-9 _-]+: [0-9]+ passed, [0-9]+ failed' "$logs/$name.log" | tail -1)
  passed=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line"); failed=$(sed -E 's/.*passed, ([0-9]+) failed.*/\1/' <<<"$line")
  [ -n "$line" ] || { passed=0; failed=1; }
  if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
  summary+=("$name $passed/$((passed + failed)) ($((SECONDS - start))s)")
  [ "$failed" = 0 ] || failed_suites+=("$name")
}

openapi() {
  python3 -c "from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename('api-spec/openapi.yaml')[0]); print('api-spec/openapi.yaml: valid OpenAPI 3.1')" &&
    echo "openapi: 1 passed, 0 failed"
}

swift_tests() {
  swift test --skip-build 2>&1 | tee "$logs/swift-test.raw" | grep -vE '^(◇|↳|✔ Test [a-zA-Z].*passed after)' 
  local status=${PIPESTATUS[0]}
  local tests issues
  tests=$(grep -oE 'Test run with [0-9]+ tests' "$logs/swift-test.raw" | grep -oE '[0-9]+' | tail -1)
  issues=$(grep -oE 'failed after [0-9.]+ seconds with [0-9]+ issues?' "$logs/swift-test.raw" | tail -1 | grep -oE '[0-9]+ issue' | grep -oE '[0-9]+')
  failing=$(grep -cE '^✘ Test [a-zA-Z].*(failed|recorded an issue)' "$logs/swift-test.raw")
  failing_tests=$(grep -E '^✘ Test [a-zA-Z].* failed after' "$logs/swift-test.raw" | wc -l)
  if [ -z "$tests" ]; then echo "swift-test: 0 passed, 1 failed"; return 1; fi
  # XCTest cases (the template engine's) report apart: "Executed N tests, with F failures".
  local xc_line xc_tests=0 xc_failed=0
  xc_line=$(grep -oE 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$logs/swift-test.raw" | tail -1)
  if [ -n "$xc_line" ]; then
    xc_tests=$(awk '{print $2}' <<<"$xc_line"); xc_failed=$(awk '{print $5}' <<<"$xc_line")
  fi
  tests=$((tests + xc_tests)); failing_tests=$((failing_tests + xc_failed))
  echo "swift-test: $((tests - failing_tests)) passed, $failing_tests failed${issues:+ ($issues issues)}"
  return "$status"
}

# The house style (.swift-format) and a build of our own code without compiler warnings.
style() {
  local problems=0
  if swift format lint --strict --configuration .swift-format -r Sources Tests tui Fuzz/Sources Fuzz/Package.swift Package.swift; then
    echo "  ok   swift format lint --strict"
  else problems=$((problems + 1)); echo "  FAIL swift format lint --strict (swift format format -i -r ... fixes most)"; fi
  local warnings
  warnings=$(grep -E "^$root/(Sources|Tests|tui)/.*: warning:" "$logs/build.log" | sort -u)
  if [ -z "$warnings" ]; then echo "  ok   no compiler warnings in the project's own code"
  else problems=$((problems + 1)); echo "  FAIL compiler warnings in the project's own code:"; echo "$warnings" | sed 's/^/       /'; fi
  echo "style: $((2 - problems)) passed, $problems failed"
  [ "$problems" = 0 ]
}

echo "== build"
if ! swift build --build-tests 2>&1 | tee "$logs/build.log" | grep -E "error|warning:|Compiling [A-Z]|Build complete" | grep -vE "^\[[0-9]+/[0-9]+\] Compiling"; then :; fi
if ! grep -q "Build complete" "$logs/build.log"; then
  echo "summary: the build failed (see above); no suite ran"
  exit 1
fi
suite openapi openapi
suite style style
suite swift-test swift_tests
suite template-differential scripts/template-differential.sh
suite fuzz scripts/fuzz.sh "${WARDEN_FUZZ_SECONDS:-30}"
suite interop scripts/interop-step.sh
suite interop-admin scripts/interop-step-admin.sh
suite template-peer scripts/template-peer.sh
suite webhooks scripts/webhooks-e2e.sh
suite schemathesis scripts/schemathesis.sh
suite cli scripts/cli-e2e.sh
suite hardening scripts/hardening.sh
suite serve scripts/serve-e2e.sh
suite two-instances scripts/two-instances.sh
suite faults scripts/faults.sh
suite console scripts/console-e2e.sh
suite demo scripts/demo-e2e.sh
echo
echo "suites (${#summary[@]}): ${summary[*]}"
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failing suites: ${failed_suites[*]} (logs in $logs)"
  # Repeated here, next to the closing line, so that a reader of only the end of the output sees what failed.
  for name in "${failed_suites[@]}"; do
    echo "-- $name: what failed"
    grep -E -A12 'FAIL|error:|Fatal|SUMMARY' "$logs/$name.log" | head -40 | sed 's/^/   /'
  done
  # The closing line stands alone ('N passed, N failed'), as CI reads it.
  echo "summary: $total_passed passed, $total_failed failed"
  exit 1
fi
rm -rf "$logs"
echo "summary: $total_passed passed, 0 failed"
