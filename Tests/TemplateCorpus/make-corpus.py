#!/usr/bin/env python3
"""Writes corpus.txt: the template cases rendered by Go (interop/template-render) and Warden (warden template render
--corpus) in scripts/template-differential.sh. Hand-written cases (step's documented templates, every construct) plus
generated ones (each function over values of every JSON type). Run it after editing; commit both files."""
import json, os

data = {
    "Subject": {"CommonName": "svc.example.internal", "Organization": ["Example Org"], "Country": []},
    "SANs": [{"Type": "dns", "Value": "svc.example.internal"}, {"Type": "ip", "Value": "10.0.0.1"}],
    "Token": {"sub": "svc.example.internal", "iss": "ci", "aud": "https://ca.example/1.0/sign",
              "sans": ["svc.example.internal", "10.0.0.1"], "groups": ["ops", "dev"], "email": "alice@example.com",
              "exp": 1764547200, "nbf": 1764543600},
    "Insecure": {"User": {"team": "payments", "env": "prod", "count": 3, "tags": ["a", "b", "a"], "nested": {"k": "v"},
                          "empty": "", "nothing": None, "flag": True, "ratio": 0.25},
                 "CR": {"PublicKeyAlgorithm": "ECDSA", "DNSNames": ["svc.example.internal"]}},
    "Organization": "Example Org", "Country": "DE",
    "n": 42, "f": 1.5, "big": 1e21, "small": 1e-7, "million": 1000000, "sixdigits": 123456, "neg": -3,
    "s": "Hello, World", "html": "<a href=\"x\">T&C's</a>", "list": [1, "two", 3.5, None, True],
    "strs": ["b", "a", "c"], "empty": [], "emptyMap": {}, "nul": None, "t": True, "fl": False, "zero": 0,
    "unicode": "h\u00e9llo w\u00f6rld \u2713", "spaces": "  padded  \t", "csv": "a,b,,c", "path": "/etc/step/../ca/config.json",
    "b64": "aGVsbG8=", "json": "{\"a\":[1,2],\"b\":\"x\"}", "nums": [3, 1, 2], "mixed": {"z": 1, "a": [1, 2], "m": {"k": None}},
}

cases = []
def case(name, template, data_override=None):
    cases.append((name, template, data_override))

# --- step's documented templates -------------------------------------------------------------------------------
case("step-default-leaf", '''{
	"subject": {{ toJson .Subject }},
	"sans": {{ toJson .SANs }},
{{- if typeIs "*rsa.PublicKey" .Insecure.CR.PublicKey }}
	"keyUsage": ["keyEncipherment", "digitalSignature"],
{{- else }}
	"keyUsage": ["digitalSignature"],
{{- end }}
	"extKeyUsage": ["serverAuth", "clientAuth"]
}''')
case("step-subject-org", '''{
	"subject": {
		"commonName": {{ toJson .Subject.CommonName }},
		"organization": {{ toJson .Organization }}
	},
	"sans": {{ toJson .SANs }}
}''')
case("step-token-sans", '''{
	"subject": {"commonName": {{ toJson .Token.sub }}},
	"sans": {{ toJson .Token.sans }},
	"emailAddresses": {{ toJson (list .Token.email) }}
}''')
case("step-user-data", '''{
	"subject": {"commonName": "{{ .Subject.CommonName }}", "organizationalUnit": {{ toJson .Insecure.User.team }}},
{{- if .Insecure.User.env }}
	"dnsNames": ["{{ .Insecure.User.env }}.{{ .Subject.CommonName }}"],
{{- end }}
	"keyUsage": ["digitalSignature"]
}''')
case("step-groups-in-uris", '''{
	"subject": {{ toJson .Subject }},
	"uris": [{{ range $i, $g := .Token.groups }}{{ if $i }}, {{ end }}"group:{{ $g }}"{{ end }}]
}''')
case("step-fail", '''{{- if not (hasKey .Insecure.User "team") }}{{ fail "team is required" }}{{ end }}{"subject": {{ toJson .Subject }}}''')
case("step-fail-triggered", '''{{- if not (hasKey .Insecure.User "department") }}{{ fail "department is required" }}{{ end }}{}''')
case("step-intermediate", '''{
	"subject": {{ toJson .Subject }},
	"keyUsage": ["certSign", "crlSign"],
	"basicConstraints": {
		"isCA": true,
		"maxPathLen": 0
	}
}''')
case("step-name-constraints", '''{
	"subject": {{ toJson .Subject }},
	"keyUsage": ["certSign", "crlSign"],
	"basicConstraints": {"isCA": true, "maxPathLen": 0},
	"nameConstraints": {
		"critical": true,
		"permittedDNSDomains": ["example.internal"],
		"excludedDNSDomains": {{ toJson (list) }}
	}
}''')
case("step-raw-extension", '''{
	"subject": {{ toJson .Subject }},
	"extensions": [{"id": "1.2.3.4", "critical": false, "value": {{ toJson (b64enc .Insecure.User.team) }}}]
}''')
case("step-sans-loop", '''{{- range .SANs }}{{ .Type }}={{ .Value }};{{ end }}''')
case("step-first-san", '''{{ (index .SANs 0).Value }}''')
case("step-default-team", '''{{ .Insecure.User.department | default "engineering" }}''')
case("step-email-split", '''{{ $parts := splitList "@" .Token.email }}{{ index $parts 0 }} at {{ index $parts 1 }}''')
case("step-dict-subject", '''{{ toJson (dict "commonName" .Token.sub "country" (list .Country)) }}''')
case("step-ssh-like", '''{
	"type": {{ toJson .Type }},
	"keyId": {{ toJson .KeyID }},
	"principals": {{ toJson .Principals }},
	"extensions": {{ toJson .Extensions }}
}''', {"Type": "user", "KeyID": "alice@example.com", "Principals": ["alice", "alice@example.com"], "Extensions": {"permit-pty": "", "permit-agent-forwarding": ""}})

# --- actions, text, trimming, comments --------------------------------------------------------------------------
case("text-only", "plain text, no actions")
case("empty", "")
case("dot-map", "{{ .emptyMap }}")
case("print-string", "{{ .s }}")
case("print-int-json", "{{ .n }}")
case("print-float", "{{ .f }}")
case("print-big", "{{ .big }}")
case("print-small", "{{ .small }}")
case("print-million", "{{ .million }}")
case("print-sixdigits", "{{ .sixdigits }}")
case("print-neg", "{{ .neg }}")
case("print-bool", "{{ .t }} {{ .fl }}")
case("print-null", "{{ .nul }}")
case("print-missing", "{{ .nothere }}")
case("print-missing-chain", "{{ .nothere.deeper }}")
case("null-chain-error", "{{ .nul.x }}")
case("print-list", "{{ .list }}")
case("print-empty-list", "{{ .empty }}")
case("print-map", "{{ .mixed }}")
case("print-subject", "{{ .Subject }}")
case("literal-int", "{{ 42 }}")
case("literal-float", "{{ 1.50 }}")
case("literal-exp", "{{ 1e3 }}")
case("literal-hex", "{{ 0x1F }}")
case("literal-octal", "{{ 0o17 }} {{ 017 }}")
case("literal-binary", "{{ 0b101 }}")
case("literal-underscore", "{{ 1_000_000 }}")
case("literal-neg", "{{ -7 }}")
case("literal-char", "{{ 'a' }} {{ '\\n' }}")
case("literal-string-escapes", '{{ "tab\\there\\nnew \\u00e9 \\x41" }}')
case("literal-raw-string", "{{ `raw \\n stays` }}")
case("literal-bool", "{{ true }} {{ false }}")
case("literal-nil-error", "{{ nil }}")
case("trim-left", "a   {{- .s }}")
case("trim-right", "{{ .s -}}   \n  b")
case("trim-both", "x \n {{- .n -}} \n y")
case("trim-newlines", "line1\n{{- /* comment */ -}}\nline2")
case("comment", "a{{/* a comment */}}b")
case("comment-multiline", "a{{/* multi\nline */}}b")
case("minus-number-not-trim", "{{-3}}")
case("unclosed-action", "{{ .s ")
case("unclosed-comment", "{{/* no end }}")
case("bad-number", "{{ 3x }}")
case("unexpected-end", "{{ end }}")
case("unexpected-else", "{{ else }}")
case("unknown-function", "{{ nosuchfunction 1 }}")
case("undefined-variable", "{{ $nope }}")
case("empty-action", "{{ }}")
case("unterminated-string", '{{ "abc }}')

# --- variables --------------------------------------------------------------------------------------------------
case("var-declare", "{{ $x := .s }}{{ $x }}")
case("var-assign", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}")
case("var-dollar", "{{ range .strs }}{{ $.Country }}{{ . }}{{ end }}")
case("var-scope-if", "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}")
case("var-scope-assign-in-if", "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}")
case("var-field", "{{ $u := .Insecure.User }}{{ $u.team }}/{{ $u.nested.k }}")
case("var-out-of-scope", "{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}")
case("var-missing-field", "{{ $u := .nothere }}{{ $u.deeper }}")
case("var-pipeline", "{{ $x := .s | upper }}{{ $x }}")

# --- if / else if / else ----------------------------------------------------------------------------------------
for name, cond in [("true", ".t"), ("false", ".fl"), ("zero", ".zero"), ("n", ".n"), ("empty-list", ".empty"),
                   ("list", ".list"), ("empty-map", ".emptyMap"), ("missing", ".nothere"), ("null", ".nul"),
                   ("empty-string", ".Insecure.User.empty"), ("string", ".s"), ("float", ".f")]:
    case("if-" + name, "{{ if %s }}yes{{ else }}no{{ end }}" % cond)
case("if-else-if", "{{ if .fl }}a{{ else if .zero }}b{{ else if .n }}c{{ else }}d{{ end }}")
case("if-else-if-none", "{{ if .fl }}a{{ else if .zero }}b{{ end }}.")
case("if-nested", "{{ if .t }}{{ if .n }}both{{ end }}{{ end }}")
case("if-missing-end", "{{ if .t }}x")
case("if-and-or", "{{ if and .t .n }}and{{ end }} {{ if or .fl .zero .s }}or{{ end }}")
case("and-returns", "{{ and .n .s }} {{ and .zero .s }} {{ or .zero .Insecure.User.empty }} {{ or .zero .s }}")
case("and-short-circuit", "{{ and .fl (fail \"not evaluated\") }}")
case("or-short-circuit", "{{ or .t (fail \"not evaluated\") }}")
case("not", "{{ not .t }} {{ not .zero }} {{ not .nothere }}")
case("if-pipeline-decl", "{{ if $v := .Insecure.User.team }}{{ $v }}{{ end }}")

# --- with ------------------------------------------------------------------------------------------------------
case("with-value", "{{ with .Insecure.User }}{{ .team }}-{{ .env }}{{ end }}")
case("with-empty", "{{ with .Insecure.User.empty }}x{{ else }}empty{{ end }}")
case("with-missing", "{{ with .nothere }}x{{ else }}none:{{ .Country }}{{ end }}")
case("with-var", "{{ with $t := .Token.sub }}{{ $t }}{{ . }}{{ end }}")

# --- range -----------------------------------------------------------------------------------------------------
case("range-list", "{{ range .strs }}[{{ . }}]{{ end }}")
case("range-index", "{{ range $i, $v := .strs }}{{ $i }}={{ $v }} {{ end }}")
case("range-one-var", "{{ range $v := .strs }}{{ $v }}{{ end }}")
case("range-map-sorted", "{{ range $k, $v := .mixed }}{{ $k }}:{{ $v }};{{ end }}")
case("range-map-values", "{{ range .Insecure.User }}{{ . }}|{{ end }}")
case("range-else", "{{ range .empty }}x{{ else }}empty{{ end }}")
case("range-missing-else", "{{ range .nothere }}x{{ else }}none{{ end }}")
case("range-null-elements", "{{ range .list }}<{{ . }}>{{ end }}")
case("range-break", "{{ range .nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}")
case("range-continue", "{{ range .nums }}{{ if eq . 1.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}")
case("range-string-error", "{{ range .s }}x{{ end }}")
case("range-int-error", "{{ range .n }}x{{ end }}")
case("range-nested", "{{ range $a := .strs }}{{ range $.nums }}{{ $a }}{{ . }} {{ end }}{{ end }}")
case("range-dollar", "{{ range .strs }}{{ $.Organization }}{{ end }}")
case("range-until", "{{ range $i := until 4 }}{{ $i }}{{ end }}")
case("range-split-map", "{{ range $k, $v := split \",\" .csv }}{{ $k }}={{ $v }} {{ end }}")
case("break-outside", "{{ break }}")
case("range-list-of-maps", "{{ range .SANs }}{{ .Type }} {{ end }}")
case("range-decl-too-many", "{{ range $a, $b, $c := .strs }}{{ end }}")

# --- define / template / block ------------------------------------------------------------------------------
case("define-template", '{{ define "greet" }}Hello {{ . }}!{{ end }}{{ template "greet" .s }}')
case("define-no-pipeline", '{{ define "x" }}[{{ . }}]{{ end }}{{ template "x" }}')
case("define-dollar", '{{ define "x" }}{{ $ }}{{ end }}{{ template "x" .n }}')
case("define-recursive", '{{ define "count" }}{{ if . }}{{ len . }} {{ template "count" (rest .) }}{{ end }}{{ end }}{{ template "count" .strs }}')
case("template-undefined", '{{ template "nope" }}')
case("block", '{{ block "b" .Country }}block:{{ . }}{{ end }}')
case("block-redefined", '{{ define "b" }}override:{{ . }}{{ end }}{{ block "b" .Country }}block:{{ . }}{{ end }}')
case("define-only", '{{ define "x" }}unused{{ end }}')
case("define-nested-error", '{{ if true }}{{ define "x" }}y{{ end }}{{ end }}')
case("template-vars-not-inherited", '{{ define "x" }}{{ $v }}{{ end }}{{ $v := 1 }}{{ template "x" }}')
case("template-name-raw", '{{ define `r` }}raw{{ end }}{{ template `r` }}')

# --- pipelines, parentheses, chains -------------------------------------------------------------------------
case("pipe-chain", "{{ .s | lower | upper }}")
case("pipe-final-arg", '{{ "x" | printf "%s-%s" "a" }}')
case("paren", "{{ (len .strs) }} {{ len (list 1 2 3) }}")
case("paren-field", "{{ (index .SANs 1).Value }}")
case("paren-dict-field", '{{ (dict "a" "b").a }}')
case("non-executable-stage", "{{ .s | 3 }}")
case("arg-to-field", '{{ .s "extra" }}')
case("field-on-string", "{{ .s.Foo }}")
case("field-on-list", "{{ .strs.x }}")
case("missing-space", "{{ .s.x.y }}")
case("dot-dot", "{{ . | len }}")

# --- comparisons -------------------------------------------------------------------------------------------
case("eq-strings", '{{ eq .Country "DE" }} {{ eq .Country "FR" "DE" }}')
case("eq-float-literal", "{{ eq .n 42.0 }}")
case("eq-float-int-error", "{{ eq .n 42 }}")
case("eq-int-int", "{{ eq (len .strs) 3 }}")
case("eq-missing", '{{ eq .nothere "x" }}')
case("eq-missing-both", "{{ eq .nothere .alsonot }}")
case("eq-bool", "{{ eq .t true }}")
case("eq-map-error", "{{ eq .mixed .mixed }}")
case("eq-no-args", "{{ eq .n }}")
case("ne", '{{ ne .Country "FR" }} {{ ne 1 1 }}')
case("lt-gt", "{{ lt 1 2 }} {{ gt 1 2 }} {{ le 2 2 }} {{ ge 1 2 }}")
case("lt-strings", '{{ lt "a" "b" }} {{ lt "b" "a" }}')
case("lt-float", "{{ lt .f 2.0 }}")
case("lt-bool-error", "{{ lt true false }}")
case("lt-mixed-error", "{{ lt 1 1.5 }}")
case("lt-missing-error", "{{ lt .nothere 1 }}")

# --- builtins --------------------------------------------------------------------------------------------------
case("len-all", "{{ len .s }} {{ len .strs }} {{ len .mixed }} {{ len .unicode }}")
case("len-int-error", "{{ len .n }}")
case("len-nil-error", "{{ len .nul }}")
case("index-list", "{{ index .strs 1 }} {{ index .list 2 }}")
case("index-nested", "{{ index .mixed \"a\" 1 }}")
case("index-map-missing", '{{ index .mixed "nope" }}')
case("index-out-of-range", "{{ index .strs 5 }}")
case("index-float-error", "{{ index .strs 1.0 }}")
case("index-string-byte", '{{ index "abc" 1 }}')
case("index-nil-error", "{{ index .nul 0 }}")
case("index-null-element", "{{ index .list 3 }}")
case("print", '{{ print "a" "b" 1 2 "c" .f .t }}')
case("println", '{{ println "a" 1 .f }}')
case("print-missing-arg", "{{ print .nothere }}")
case("html", "{{ html .html }} {{ .html | html }}")
case("html-nonstring", "{{ html .n .s }}")
case("html-missing", "{{ html .nothere }}")
case("js", "{{ js .html }} {{ js \"line\\nbreak = \\u00e9\" }}")
case("urlquery", "{{ urlquery .s \"&x=1 ü\" }}")
case("call-error", "{{ call .s }}")

# --- printf ------------------------------------------------------------------------------------------------
for name, fmt, args in [
    ("s", "%s", ".s"), ("v-float", "%v", ".f"), ("d-float", "%d", ".n"), ("d-int", "%d", "(len .strs)"),
    ("q", "%q", ".html"), ("q-unicode", "%q", ".unicode"), ("x-string", "%x", ".Country"), ("X-int", "%X", "255"),
    ("05d", "%05d", "42"), ("-5s", "[%-5s]", ".Country"), ("5s", "[%5s]", ".Country"), ("f", "%f", ".f"),
    (".2f", "%.2f", ".f"), ("e", "%e", ".million"), ("g", "%g", ".million"), ("t", "%t", ".t"), ("v-list", "%v", ".strs"),
    ("v-map", "%v", ".mixed"), ("s-list", "%s", ".strs"), ("d-list-error", "%d", ".strs"), ("T", "%T %T %T", ".n .s .strs"),
    ("missing", "%s %s", ".s"), ("extra", "%s", ".s .n"), ("percent", "100%%", ""), ("c", "%c", "65"), ("q-int", "%q", "97"),
    ("o-b", "%o %b", "8 5"), ("plus", "%+d", "5"), ("width-star", "[%*d]", "5 42"), ("s-nil", "%s", ".nothere"),
    ("v-nil", "%v", ".nul"), ("d-string-error", "%d", ".s"), ("x-neg", "%x", "-255"), (".3s", "%.3s", ".unicode"),
    ("#x", "%#x", "255"), ("+q", "%+q", ".unicode"), ("8.3f", "[%8.3f]", ".f"), ("-8.2f", "[%-8.2f]", ".f"),
    ("g-small", "%g", ".small"), ("v-big", "%v", ".big"), ("e-precision", "%.3e", ".million"), ("v-bool", "%v %v", ".t .fl"),
]:
    case("printf-" + name, '{{ printf "%s" %s }}' % (fmt, args) if args else '{{ printf "%s" }}' % fmt)

# --- sprig: strings ---------------------------------------------------------------------------------------------
for fn in ["trim", "upper", "lower", "title", "untitle", "nospace", "initials", "b64enc", "b64dec", "quote", "squote",
           "toString", "base", "dir", "clean", "ext", "isAbs"]:
    for label, arg in [("s", ".s"), ("unicode", ".unicode"), ("spaces", ".spaces"), ("path", ".path"), ("b64", ".b64")]:
        case("sprig-%s-%s" % (fn, label), "{{ %s %s }}" % (fn, arg))
    case("sprig-%s-number" % fn, "{{ %s .n }}" % fn)
case("sprig-substr", "{{ substr 0 5 .s }} {{ substr 7 100 .s }} {{ substr -1 3 .s }}")
case("sprig-substr-float-error", "{{ substr 0 .n .s }}")
case("sprig-repeat", '{{ repeat 3 "ab" }}')
case("sprig-trimAll", '{{ trimAll "$" "$$5.00$" }} {{ trimAll " \\t" .spaces }}')
case("sprig-trimPrefix-Suffix", '{{ trimPrefix "Hello, " .s }} {{ trimSuffix "World" .s }} {{ trimSuffix "x" .s }}')
case("sprig-contains", '{{ contains "World" .s }} {{ contains "world" .s }} {{ hasPrefix "He" .s }} {{ hasSuffix "ld" .s }}')
case("sprig-replace", '{{ replace "l" "L" .s }} {{ replace "" "-" "abc" }}')
case("sprig-cat", '{{ cat "a" 1 .nul .f "b" }}')
case("sprig-quote-multi", '{{ quote "a" .n .nul .s }} {{ squote "a" .n }}')
case("sprig-indent", '{{ indent 4 "a\\nb" }}|{{ nindent 2 "x\\ny" }}')
case("sprig-plural", '{{ plural "one" "many" 1 }} {{ plural "one" "many" (len .strs) }}')
case("sprig-trunc", '{{ trunc 5 .s }} {{ trunc -5 .s }} {{ trunc 100 .s }}')
case("sprig-abbrev", '{{ abbrev 8 .s }} {{ abbrev 100 .s }}')
case("sprig-splitList", '{{ splitList "," .csv }} {{ len (splitList "," .csv) }} {{ splitList "" "abc" }}')
case("sprig-split", '{{ $p := split "," .csv }}{{ $p._0 }} {{ $p._3 }} {{ $p }}')
case("sprig-splitn", '{{ splitn "," 2 .csv }}')
case("sprig-join", '{{ join "-" .strs }} {{ join ", " .list }} {{ join "+" (list 1 2) }} {{ join "," .s }}')
case("sprig-toStrings", "{{ toStrings .list }} {{ typeOf (toStrings .nums) }}")

# --- sprig: lists -----------------------------------------------------------------------------------------------
case("sprig-list", '{{ list 1 "a" .f .nul }} {{ typeOf (list) }}')
case("sprig-first-last", "{{ first .strs }} {{ last .strs }} {{ first .empty }}")
case("sprig-first-error", "{{ first .s }}")
case("sprig-rest-initial", "{{ rest .strs }} {{ initial .strs }} {{ rest .empty }}")
case("sprig-append-prepend", '{{ append .strs "d" }} {{ prepend .strs "z" }} {{ push .empty 1 }}')
case("sprig-concat", "{{ concat .strs .nums (list 9) }}")
case("sprig-uniq", "{{ uniq .Insecure.User.tags }} {{ uniq (list 1 1 2 1.0) }}")
case("sprig-without", '{{ without .strs "a" }} {{ without .Insecure.User.tags "a" "b" }}')
case("sprig-has", '{{ has "a" .strs }} {{ has "z" .strs }} {{ has 1 .nul }}')
case("sprig-compact", '{{ compact (list 1 0 "" "x" .nul .fl) }}')
case("sprig-reverse", "{{ reverse .strs }}")
case("sprig-sortAlpha", "{{ sortAlpha .strs }} {{ sortAlpha .nums }}")
case("sprig-slice", "{{ slice .strs 1 }} {{ slice .strs 0 2 }} {{ slice .strs }}")
case("sprig-until", "{{ until 5 }} {{ untilStep 0 10 3 }} {{ until -3 }}")
case("sprig-tuple", '{{ tuple "a" 2 }}')

# --- sprig: dicts -----------------------------------------------------------------------------------------------
case("sprig-dict", '{{ dict "b" 2 "a" 1 }} {{ dict "odd" }} {{ dict 1 2 }}')
case("sprig-get", '{{ get .Insecure.User "team" }}|{{ get .Insecure.User "nope" }}|')
case("sprig-set", '{{ $d := dict "a" 1 }}{{ $d = set $d "b" 2 }}{{ $d }}')
case("sprig-unset", '{{ unset (dict "a" 1 "b" 2) "a" }}')
case("sprig-hasKey", '{{ hasKey .Insecure.User "team" }} {{ hasKey .Insecure.User "nope" }} {{ hasKey .Insecure.User "nothing" }}')
case("sprig-hasKey-missing-map", '{{ hasKey .nothere "a" }}')
case("sprig-keys", "{{ keys .mixed | sortAlpha }}")
case("sprig-pick-omit", '{{ pick .Insecure.User "team" "env" "nope" }} {{ omit .mixed "z" }}')
case("sprig-pluck", '{{ pluck "k" .Insecure.User.nested (dict "k" 2) (dict "x" 3) }}')
case("sprig-dig", '{{ dig "User" "nested" "k" "default" .Insecure }} {{ dig "User" "none" "fallback" .Insecure }}')
case("sprig-get-wrong-type", '{{ get .s "a" }}')

# --- sprig: defaults, JSON, types, numbers ---------------------------------------------------------------------
case("sprig-default", '{{ default "d" .nothere }} {{ default "d" .Insecure.User.empty }} {{ default "d" .s }} {{ default "d" .zero }} {{ default "d" .empty }} {{ default "d" .t }}')
case("sprig-default-pipe", '{{ .nothere | default "fallback" }}')
case("sprig-empty", "{{ empty .nothere }} {{ empty .s }} {{ empty .zero }} {{ empty .emptyMap }} {{ empty .Subject }} {{ empty .fl }}")
case("sprig-coalesce", '{{ coalesce .nothere .Insecure.User.empty .zero .s }} {{ coalesce .nothere }}')
case("sprig-all-any", "{{ all .s .n .t }} {{ all .s .zero }} {{ any .zero .fl }} {{ any .zero .s }}")
case("sprig-ternary", '{{ ternary "yes" "no" .t }} {{ ternary "yes" "no" .fl }} {{ .t | ternary 1 2 }}')
case("sprig-ternary-type-error", '{{ ternary "yes" "no" .n }}')
case("sprig-toJson", "{{ toJson . }}")
case("sprig-toJson-values", "{{ toJson .html }} {{ toJson .big }} {{ toJson .small }} {{ toJson .f }} {{ toJson .nul }} {{ toJson .nothere }} {{ toJson .unicode }}")
case("sprig-toPrettyJson", "{{ toPrettyJson .mixed }}")
case("sprig-toRawJson", "{{ toRawJson .html }}")
case("sprig-fromJson", '{{ $j := fromJson .json }}{{ $j.b }} {{ index $j.a 1 }} {{ typeOf $j.a }}')
case("sprig-fromJson-bad", '{{ fromJson "{bad" }}')
case("sprig-mustFromJson-bad", '{{ mustFromJson "{bad" }}')
case("sprig-typeOf", "{{ typeOf .n }} {{ typeOf .s }} {{ typeOf .list }} {{ typeOf .mixed }} {{ typeOf .nul }} {{ typeOf .t }} {{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf (add 1 2) }}")
case("sprig-typeIs", '{{ typeIs "float64" .n }} {{ typeIs "string" .n }} {{ typeIsLike "float64" .n }}')
case("sprig-kindOf", "{{ kindOf .list }} {{ kindOf .mixed }} {{ kindOf .s }} {{ kindIs \"map\" .mixed }} {{ kindOf .nul }}")
case("sprig-deepEqual", "{{ deepEqual .strs .strs }} {{ deepEqual .strs .nums }} {{ deepEqual (list 1) (list 1) }}")
case("sprig-atoi", '{{ atoi "42" }} {{ atoi "x" }} {{ atoi "-7" }}')
case("sprig-int", '{{ int .f }} {{ int "12" }} {{ int64 .n }} {{ int .t }} {{ int .nul }} {{ float64 "1.25" }} {{ float64 3 }}')
case("sprig-add", "{{ add 1 2 3 }} {{ add .n .f }} {{ add1 .n }} {{ sub 10 .n }} {{ mul 2 3 .f }}")
case("sprig-div-mod", "{{ div 7 2 }} {{ mod 7 2 }} {{ div .n 5 }}")
case("sprig-div-zero", "{{ div 1 0 }}")
case("sprig-max-min", "{{ max 1 5 3 }} {{ min 4 .n 2 }} {{ biggest 1 9 }}")
case("sprig-add-string", '{{ add "3" "0x10" "bad" }}')

# --- sprig: regular expressions ---------------------------------------------------------------------------------
case("sprig-regexMatch", '{{ regexMatch "^[a-z]+\\\\.example\\\\.internal$" .Token.sub }} {{ regexMatch "^\\\\d+$" .Token.sub }}')
case("sprig-regexMatch-bad", '{{ regexMatch "(" "x" }}')
case("sprig-mustRegexMatch-bad", '{{ mustRegexMatch "(" "x" }}')
case("sprig-regexFind", '{{ regexFind "[0-9]+" "abc123def456" }}|{{ regexFind "z" "abc" }}|')
case("sprig-regexFindAll", '{{ regexFindAll "[0-9]" "a1b2c3" -1 }} {{ regexFindAll "[0-9]" "a1b2c3" 2 }}')
case("sprig-regexReplaceAll", '{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}')
case("sprig-regexReplaceAll-named", '{{ regexReplaceAll "(?P<user>[a-z]+)@(?P<domain>[a-z.]+)" .Token.email "${domain}/${user}" }}')
case("sprig-regexReplaceAllLiteral", '{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}')
case("sprig-regexSplit", '{{ regexSplit "z+" "pizza" -1 }} {{ regexSplit "z+" "pizza" 1 }}')
case("sprig-regexQuoteMeta", '{{ regexQuoteMeta "1.5-2.0?" }}')
case("sprig-regex-dollar", '{{ regexReplaceAll "o" .s "$$" }}')
# Go's regexp (RE2) semantics, matched by Warden's own linear-time engine (GoRegexp).
case("regexp-anchors", r'{{ regexMatch "^a$" "a\n" }} {{ regexMatch "(?m)^a$" "a\nb" }} {{ regexFindAll "(?m)^\\w" "ab\ncd" -1 }} {{ regexMatch `\Aab\z` "ab" }}')
case("regexp-case", r'{{ regexFindAll "(?i)k" "kK\u212a" -1 }} {{ regexReplaceAll "(?i)[a-c]+" "xABCabcY" "-" }} {{ regexMatch "(?i:A)b" "aB" }} {{ regexMatch "(?i)straße" "STRASSE" }}')
case("regexp-priority", '{{ regexFind "a+?" "aaa" }} {{ regexFind "a{2,3}" "aaaa" }} {{ regexFind "a{2,}?" "aaaa" }} {{ regexFind "(?U)a+" "aaa" }} {{ regexFind "a|ab" "ab" }} {{ regexFind "(a|ab)(c|bcd)" "abcd" }} {{ regexReplaceAll "(a|ab)(c|bcd)" "abcd" "$1+$2" }}')
case("regexp-empty-matches", '{{ regexFindAll "a*" "baaab" -1 }} {{ regexReplaceAll "a*" "baaab" "-" }} {{ regexSplit "" "abc" -1 }} {{ regexSplit "a*" "baaab" -1 }} {{ regexSplit "x*" "" -1 }} {{ regexSplit "" "" -1 }} {{ len (regexSplit "," "a,b,c" 2) }} {{ regexSplit "," "a,b,c" 2 }}')
case("regexp-classes", r'{{ regexFindAll `[[:alpha:]]+|\d+` "ab12 cd" -1 }} {{ regexFindAll `\pL+` "héllo wörld 42" -1 }} {{ regexFindAll `[^\s]+` "a b	c" -1 }} {{ regexFindAll `\p{Lu}` "aBcD" -1 }} {{ regexFindAll `[\x41-\x43]` "ABCD" -1 }} {{ regexFindAll `\x{263a}|\101` "☺A" -1 }} {{ regexFindAll `[]a]` "]a" -1 }} {{ regexFindAll `[a-]` "a-b" -1 }} {{ regexFindAll `\Q.*\E` "a.*b" -1 }} {{ regexFindAll `[^a]` "a\nb" -1 }} {{ regexFindAll `\P{L}|\p{^N}` "a1" -1 }} {{ regexFindAll `[[:^digit:][:upper:]]` "aB1" -1 }}')
case("regexp-boundaries", r'{{ regexFindAll `\bfoo\b` "foo food foo" -1 }} {{ regexReplaceAll `\B` "abc" "-" }} {{ regexReplaceAll `\b` "ab cd" "|" }} {{ regexFindAll `.` "a\nb" -1 }} {{ regexFindAll `(?s).` "a\nb" -1 }} {{ regexFindAll "." "é☺" -1 }}')
case("regexp-duplicate-names", '{{ regexReplaceAll "(?P<n>a)(?P<n>b)" "ab" "[$n]" }}')
case("regexp-expand", '{{ regexReplaceAll "(a)(b)?" "ac" "[$1|$2|$3|$1x|${1}x|$|$x|${}]" }} {{ regexReplaceAll "(?P<first>\\\\w+) (?P<last>\\\\w+)" "Jane Doe" "${last}, ${first}" }}')
case("regexp-braces", '{{ regexFind "a{,3}" "a{,3}" }} {{ regexFind "x{" "x{" }} {{ regexFind "a{2}" "aaa" }} {{ regexFind "a{1,2}b{0}" "aab" }} {{ regexFind "a{0,0}b" "ab" }}')
case("regexp-loops", '{{ regexFind "(a*)*" "b" }}|{{ regexFind "(a|b)*c" "ababc" }} {{ regexReplaceAll "(a*)+" "aab" "<$1>" }} {{ regexReplaceAll "(a|b)*c" "xababcx" "<$1>" }} {{ regexFind "(a+|b+)*" "aabba" }}')
case("regexp-escapes", r'{{ regexFindAll `\.\+\*\?\(\)\|\[\]\{\}\^\$\\` ".+*?()|[]{}^$\\" -1 }} {{ regexMatch `\t\n` "\t\n" }} {{ regexMatch `\012` "\n" }}')
case("regexp-linear-time", '{{ regexMatch "(a+)+b" (repeat 5000 "a") }} {{ regexMatch "(x+x+)+y" (repeat 3000 "x") }} {{ len (regexFindAll "a*b" (repeat 2000 "a") -1) }}')
for index, pattern in enumerate(["a**", r"\\1", "x{1001}", "[z-a]", "(?z)", "[[:foo:]]", "a)", "(a", "[a", "*a", r"\\8", "a{2}{3}", r"\\x{110000}", "(?i)(?-)"]):
    case(f"regexp-error-{index}", '{{ regexFind "%s" "x" }}' % pattern)

# --- errors reported the same way -------------------------------------------------------------------------------
case("wrong-arg-count", '{{ upper "a" "b" }}')
case("wrong-arg-type", "{{ upper .n }}")
case("wrong-arg-type-list", "{{ upper .strs }}")
case("too-few-args", '{{ replace "a" }}')
case("fail-plain", '{{ fail "stop here" }}')
case("missing-arg-to-string-param", "{{ upper .nothere }}")
case("null-arg-to-string-param", "{{ upper .nul }}")
case("nil-arg-to-string", "{{ upper nil }}")
case("nil-arg-to-any", "{{ typeOf nil }}")
case("bad-escape", '{{ "\\q" }}')
case("unexpected-paren", "{{ ) }}")
case("unclosed-paren", "{{ (len .s }}")
case("trailing-pipe", "{{ .s | }}")
case("printf-huge-width-arg", '{{ printf "%*d|" 99999999999 1 }}')
case("printf-huge-width-literal", '{{ printf "%99999999999d|x" 1 }}')
case("printf-huge-precision", '{{ printf "%.*f|" 2000000 1.5 }}')


# --- generated: numbers and strings through every printer -----------------------------------------------------
floats = [0.1, 1e-05, 123456789, 1e20, 2.5e-300, 100, 0.000123, 1.0000001, 33.333333333333336, -1234.5, 1.7976931348623157e308]
for index, value in enumerate(floats):
    case("float-%d" % index, "{{ .x }} {{ toJson .x }} {{ printf \"%v|%g|%e|%.3f|%8.2f|%-12v|%G|%.0f\" .x .x .x .x .x .x .x .x }} {{ int64 .x }}", {"x": value})
strings = ["", "quote\"back\\slash", "ctl\u0001\u001f\u007f", "tab\tnl\ncr\r", "nbsp\u00a0zw\u200b", "emoji \U0001F600", "<>&'\"=", "\u2028\u2029"]
for index, value in enumerate(strings):
    case("string-%d" % index, "{{ .x }}|{{ printf \"%q|%x|%s|%10s|%-4s|%.2s\" .x .x .x .x .x .x }}|{{ toJson .x }}|{{ html .x }}|{{ js .x }}|{{ urlquery .x }}|{{ quote .x }}|{{ len .x }}", {"x": value})
ints = [0, 1, -1, 255, 65535, 9007199254740993]
for index, value in enumerate(ints):
    case("int-literal-%d" % index, "{{ printf \"%d|%5d|%-5d|%05d|%x|%X|%o|%b|%c|%q|%U|%+d|% d\" " + " ".join([str(value)] * 13) + " }}")

# --- sprig's date functions (deterministic inputs; Local is UTC for both renderers) ------------------------------
case("time-date-rfc3339", '{{ date "2006-01-02T15:04:05Z07:00" (int64 1764547200) }}')
case("time-date-words", '{{ date "Mon Jan _2 3:04:05 PM MST 2006" (int64 1764547200) }}|{{ date "Monday, January 2, 2006 at 15h04 (-07:00)" (int64 1700000000) }}')
case("time-date-yearday", '{{ date "002 __2 06 1/2 03:04:05pm Z0700 Z07" (int64 1764547200) }}')
case("time-date-zone", '{{ dateInZone "2006-01-02 15:04 -0700" (int64 1764547200) "Asia/Kolkata" }}|{{ dateInZone "2006-01-02 15:04 Z07:00" (int64 0) "Nowhere/Zone" }}')
case("time-date-json-number-means-now", '{{ len (date "2006" .n) }}')
case("time-html-date", '{{ htmlDate (int64 86400) }} {{ htmlDateInZone (int64 86400) "UTC" }}')
case("time-to-date", '{{ toDate "2006-01-02" "2024-02-29" | unixEpoch }} {{ toDate "2006-01-02T15:04:05Z07:00" "2024-03-05T10:20:30+02:00" }}')
case("time-to-date-zero", '{{ toDate "2006-01-02" "2024-02-30" }}|{{ toDate "2006-01-02" "junk" | unixEpoch }}')
case("time-must-to-date-error", '{{ mustToDate "2006-01-02" "junk" }}')
case("time-to-date-fraction", '{{ date "05.000|05.999|05,000" (toDate "2006-01-02 15:04:05.000" "2024-01-02 03:04:05.120") }}')
case("time-to-date-extra-fraction", '{{ toDate "2006-01-02 15:04:05" "2024-01-02 03:04:05.5" | date "05.000" }}')
case("time-to-date-names", '{{ toDate "Jan _2 15:04:05 2006" "Feb  3 10:00:00 2024" | unixEpoch }} {{ toDate "2006-01-02 3:04PM" "2024-01-02 12:30AM" | date "15:04" }}')
case("time-modify", '{{ dateModify "1h30m" (toDate "2006-01-02" "2024-01-01") | date "2006-01-02 15:04" }} {{ dateModify "junk" (toDate "2006-01-02" "2024-01-01") | unixEpoch }}')
case("time-must-modify-error", '{{ mustDateModify "junk" (toDate "2006-01-02" "2024-01-01") }}')
case("time-duration", '{{ duration "3661" }} {{ duration (int64 90) }} {{ duration 90 }} {{ duration .n }} {{ duration "-5" }}')
case("time-types", '{{ typeOf (toDate "2006" "2024") }} {{ kindOf (toDate "2006" "2024") }} {{ toJson (toDate "2006-01-02" "2024-01-02") }} {{ empty (toDate "2006" "2024") }}')
case("time-print", '{{ toDate "2006-01-02 15:04:05.999999999" "2024-01-02 03:04:05.123456789" }}|{{ printf "%v" (toDate "2006" "2024") }}')
case("time-unix-epoch-type-error", '{{ unixEpoch 5 }}')
case("time-long-fraction", '{{ toDate "2006-01-02 15:04:05.000000000000" "2024-01-02 03:04:05.123456789123" | date "05.000000000" }}|{{ date "05.000000000000" (toDate "2006" "2024") }}')
case("time-eq", '{{ eq (toDate "2006" "2024") (toDate "2006" "2024") }} {{ eq (toDate "2006" "2024") (toDate "2006" "2025") }}')

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.txt"), "w") as out:
    out.write("### data\n" + json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n")
    for name, template, override in cases:
        header = "### " + name + ((" " + json.dumps(override, sort_keys=True)) if override is not None else "")
        out.write(header + "\n" + template + "\n")
print(len(cases), "cases")
