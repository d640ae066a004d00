package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func newTestFlags() (*Flags, *bytes.Buffer, *bytes.Buffer) {
	f := NewFlags("kmsconform demo", "[--engines LIST] FILE")
	var out, errb bytes.Buffer
	f.Stdout, f.Stderr = &out, &errb
	f.String("engines", "host,oracle", "engines, e.g. `host` and `oracle`")
	f.Int("parallel", 0, "cells at once")
	f.Duration("timeout", time.Minute, "time limit")
	f.Bool("force", false, "rebuild")
	f.String("report", "", "report directory")
	f.Meta("report", "DIR")
	return f, &out, &errb
}

func TestFlagsHelp(t *testing.T) {
	for _, h := range []string{"-h", "--help", "-help"} {
		f, out, errb := newTestFlags()
		code, stop := f.ParseArgs([]string{h})
		if code != 0 || !stop || errb.Len() != 0 {
			t.Fatalf("%s: code %d stop %v stderr %q", h, code, stop, errb)
		}
		u := out.String()
		for _, want := range []string{"usage: kmsconform demo [--engines LIST] FILE", "--engines VALUE", "e.g. `host` and `oracle` (default host,oracle)", "--parallel N", "--timeout DURATION", "(default 1m0s)", "--report DIR", "  --force "} {
			if !strings.Contains(u, want) {
				t.Errorf("%s: usage lacks %q:\n%s", h, want, u)
			}
		}
		if strings.Contains(u, "(default 0)") || strings.Contains(u, "(default false)") {
			t.Errorf("usage prints zero defaults:\n%s", u)
		}
	}
}

func TestFlagsErrors(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--engine", "host"}, []string{"error: unknown flag --engine", "hint: did you mean --engines?"}},
		{[]string{"-paralel=3"}, []string{"unknown flag --paralel", "did you mean --parallel?"}},
		{[]string{"--zzzzzz"}, []string{"unknown flag --zzzzzz", "hint: see `kmsconform demo --help`"}},
		{[]string{"--parallel", "x"}, []string{`invalid value "x" for flag --parallel`}},
		{[]string{"--report"}, []string{"flag needs an argument: --report"}},
	}
	for _, c := range cases {
		f, out, errb := newTestFlags()
		code, stop := f.ParseArgs(c.args)
		if code != ExitUsage || !stop || out.Len() != 0 {
			t.Errorf("%v: code %d stop %v stdout %q", c.args, code, stop, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errb)
			}
		}
		if c.args[0] == "--zzzzzz" && strings.Contains(errb.String(), "did you mean") {
			t.Errorf("%v: suggests a far flag: %s", c.args, errb)
		}
	}
	f, _, _ := newTestFlags()
	if code, stop := f.ParseArgs([]string{"--force", "x.txt"}); stop || code != 0 || f.Arg(0) != "x.txt" {
		t.Errorf("good args: code %d stop %v args %v", code, stop, f.Args())
	}
}

func TestGiven(t *testing.T) {
	fs := NewFlags("kmsconform x", "")
	fs.String("engines", "host,oracle", "")
	fs.String("expect-text", "", "")
	if code, stop := fs.ParseArgs([]string{"--expect-text", ""}); stop {
		t.Fatalf("ParseArgs stopped with %d", code)
	}
	if !fs.Given("expect-text") || fs.Given("engines") {
		t.Fatalf("Given: expect-text %v (want true, given empty), engines %v (want false, default)", fs.Given("expect-text"), fs.Given("engines"))
	}
}
