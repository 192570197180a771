// template-render renders every case of a template corpus with Go's text/template and the sprig functions step-ca
// exposes (sprig's TxtFuncMap without env and expandenv, as go.step.sm/crypto's templates package builds it), and
// prints one JSON line per case: {"name":…, "ok":true, "output":…} or {"name":…, "ok":false, "error":…}.
//
// Corpus format: a header line "### data" followed by the default data (JSON, one line), then cases, each a line
// "### NAME" or "### NAME {json data}" followed by the template text up to the next "### " line (the final newline
// is not part of the template).
//
//	template-render CORPUS
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

type corpusCase struct {
	name     string
	data     string
	template string
}

func readCorpus(path string) (string, []corpusCase, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var defaultData string
	var cases []corpusCase
	var current *corpusCase
	var body []string
	flush := func() {
		if current != nil {
			current.template = strings.Join(body, "\n")
			cases = append(cases, *current)
		}
		body = nil
	}
	scanner := bufio.NewScanner(bytes.NewReader(content))
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	readingData := false
	for scanner.Scan() {
		line := scanner.Text()
		if readingData {
			defaultData = line
			readingData = false
			continue
		}
		if strings.HasPrefix(line, "### ") {
			flush()
			header := strings.TrimPrefix(line, "### ")
			if header == "data" {
				readingData = true
				current = nil
				continue
			}
			name, data, _ := strings.Cut(header, " ")
			current = &corpusCase{name: name, data: strings.TrimSpace(data)}
			continue
		}
		if current != nil {
			body = append(body, line)
		}
	}
	flush()
	return defaultData, cases, scanner.Err()
}

func funcMap() template.FuncMap {
	m := sprig.TxtFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	m["fail"] = func(msg string) (string, error) { return "", errors.New(msg) }
	return m
}

func render(c corpusCase, defaultData string) (string, error) {
	raw := c.data
	if raw == "" {
		raw = defaultData
	}
	var data interface{}
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		return "", fmt.Errorf("corpus data: %w", err)
	}
	tmpl, err := template.New(c.name).Funcs(funcMap()).Parse(c.template)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		return "", err
	}
	return out.String(), nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: template-render CORPUS")
		os.Exit(2)
	}
	defaultData, cases, err := readCorpus(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-render:", err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	for _, c := range cases {
		output, err := render(c, defaultData)
		line := map[string]interface{}{"name": c.name, "ok": err == nil}
		if err != nil {
			line["error"] = err.Error()
		} else {
			line["output"] = output
		}
		if err := encoder.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, "template-render:", err)
			os.Exit(1)
		}
	}
}
