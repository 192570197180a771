#!/usr/bin/env python3
"""Compares two JSON-lines renderings of the template corpus (Go's and Warden's): the same output, or both failing.
Prints one line per differing case and ends with 'template-differential: N passed, M failed'. Exit 1 on any difference."""
import json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return {entry["name"]: entry for entry in map(json.loads, filter(str.strip, f))}

go, warden = load(sys.argv[1]), load(sys.argv[2])
passed = failed = 0
for name, expected in go.items():
    actual = warden.get(name)
    if actual is None:
        failed += 1
        print(f"  FAIL {name}: Warden did not render it")
    elif expected["ok"] != actual["ok"]:
        failed += 1
        print(f"  FAIL {name}: Go {'rendered ' + json.dumps(expected.get('output')) if expected['ok'] else 'failed: ' + expected['error']}"
              f" / Warden {'rendered ' + json.dumps(actual.get('output')) if actual['ok'] else 'failed: ' + actual['error']}")
    elif expected["ok"] and expected["output"] != actual["output"]:
        failed += 1
        print(f"  FAIL {name}: Go {json.dumps(expected['output'])} / Warden {json.dumps(actual['output'])}")
    else:
        passed += 1
ok_go = sum(1 for e in go.values() if e["ok"])
print(f"  {len(go)} cases: {ok_go} render, {len(go) - ok_go} fail in Go")
print(f"template-differential: {passed} passed, {failed} failed")
sys.exit(1 if failed or not go else 0)
