#!/usr/bin/env bash
# Differential test of Warden's template engine against Go itself: every case of Tests/TemplateCorpus/corpus.txt
# (step's documented templates, each construct and function, numbers and strings through every printer, errors)
# rendered by Go's text/template with sprig (interop/template-render, built from Debian's packages) and by
# `warden template render --corpus`; each must give the same output, or both must fail.
#   scripts/template-differential.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
warden=${WARDEN_BIN:-$root/.build/debug/warden}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
renderer=$(OUT=${WARDEN_INTEROP_OUT:-${TMPDIR:-/tmp}/warden-interop} "$root/interop/build.sh" | awk '{print $3}')
corpus="$root/Tests/TemplateCorpus/corpus.txt"
echo "corpus: $(grep -c '^### ' "$corpus") entries (data header included); Go $(go version | awk '{print $3}'), sprig $(dpkg-query -W -f='${Version}' golang-github-masterminds-sprig-dev 2>/dev/null || echo '?')"
# Local time is UTC for both (sprig's date functions format in Local; Warden's Local is UTC).
TZ=UTC "$renderer" "$corpus" > "$work/go.jsonl"
"$warden" template render --corpus "$corpus" > "$work/warden.jsonl"
python3 "$root/scripts/template-compare.py" "$work/go.jsonl" "$work/warden.jsonl"
