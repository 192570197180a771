#!/bin/sh
# Builds step-driver (smallstep's Go client code as a command-line test peer), reference-ca (step-ca 0.19) and
# template-render (Go's text/template with sprig, the reference for Warden's template engine) from Debian's Go
# packages into OUT (default $TMPDIR/warden-interop), installing Go and the packages when missing. Prints the
# three binary paths. Nothing is written inside the repository.
#   OUT=/tmp/warden-interop interop/build.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-${TMPDIR:-/tmp}/warden-interop}
packages="golang-go golang-github-smallstep-certificates-dev golang-step-linkedca-dev golang-github-masterminds-sprig-dev"
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/smallstep/certificates ] \
  || [ ! -d /usr/share/gocode/src/github.com/Masterminds/sprig ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq $packages >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq $packages >/dev/null; }
fi
for program in step-driver reference-ca template-render; do
  mkdir -p "$OUT/src/$program"
  cp "$here/$program/main.go" "$OUT/src/$program/main.go"
  # Rebuilt only when the source changed (the Go cache makes a rebuild cheap anyway).
  if [ ! -x "$OUT/$program" ] || [ "$here/$program/main.go" -nt "$OUT/$program" ]; then
    (cd "$OUT/src/$program" && GO111MODULE=off GOPATH="$OUT:/usr/share/gocode" GOCACHE="$OUT/cache" go build -o "$OUT/$program" . \
      >"$OUT/build-$program.log" 2>&1) || { cat "$OUT/build-$program.log" >&2; exit 1; }
  fi
done
echo "$OUT/step-driver $OUT/reference-ca $OUT/template-render"
