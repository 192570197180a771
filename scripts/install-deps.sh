#!/usr/bin/env bash
# Installs the Debian packages Warden's build, demo and tests need, when missing (PostgreSQL 15 server,
# ncursesw headers, tmux, openssl, curl, python3 with pip and venv, Go with smallstep's step-ca 0.19,
# linkedca and sprig sources for interop/). Needs root for apt-get.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
dpkg -s libncursesw5-dev >/dev/null 2>&1 || missing+=(libncursesw5-dev)
command -v tmux >/dev/null || missing+=(tmux)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3 python3-pip)
python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v go >/dev/null || missing+=(golang-go)
[ -d /usr/share/gocode/src/github.com/smallstep/certificates ] || missing+=(golang-github-smallstep-certificates-dev)
[ -d /usr/share/gocode/src/go.step.sm/linkedca ] || missing+=(golang-step-linkedca-dev)
[ -d /usr/share/gocode/src/github.com/Masterminds/sprig ] || missing+=(golang-github-masterminds-sprig-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -c 'import openapi_spec_validator' 2>/dev/null || pip install -q openapi-spec-validator
