package kmscompat

// Tests of action.yml (the composite GitHub Action): its shape, the
// workflows that use it, and its run step executed by bash with the real
// kmsconform against the fake as a process.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kmsconform/kmsconform/internal/kmstarget"
	"go.yaml.in/yaml/v3"
)

type actionYAML struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			Name  string            `yaml:"name"`
			ID    string            `yaml:"id"`
			Uses  string            `yaml:"uses"`
			Shell string            `yaml:"shell"`
			Run   string            `yaml:"run"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) (*actionYAML, string) {
	t.Helper()
	root, err := kmstarget.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionYAML
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a, root
}

func TestActionShape(t *testing.T) {
	a, root := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"command", "args", "gate", "report", "images", "artifact-name"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("input %s missing", in)
		}
	}
	var uses []string
	for _, s := range a.Runs.Steps {
		uses = append(uses, s.Uses)
		if s.Uses == "" && s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
	}
	joined := strings.Join(uses, " ")
	for _, w := range []string{"actions/setup-go@", "actions/upload-artifact@"} {
		if !strings.Contains(joined, w) {
			t.Errorf("no %s step", w)
		}
	}
	wfs, _ := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	for _, wf := range wfs {
		b, _ := os.ReadFile(wf)
		if !strings.Contains(string(b), "uses: ./\n") {
			t.Errorf("%s does not use the repository's action", filepath.Base(wf))
		}
	}
}

// TestActionRunStep runs the action's "kmsconform COMMAND" step with bash
// as the runner would (inputs as INPUT_* variables, GITHUB_OUTPUT), the
// real binary on PATH and the fake as a process; then a bad command.
func TestActionRunStep(t *testing.T) {
	a, _ := loadAction(t)
	script := ""
	for _, s := range a.Runs.Steps {
		if s.ID == "run" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no step with id run")
	}
	bin := kmsconformBin(t)
	tg := startTarget(t, kmstarget.FakeProcess)
	run := func(command, args string) (string, string, error) {
		dir := t.TempDir()
		out := filepath.Join(dir, "github_output")
		os.WriteFile(out, nil, 0o600)
		cmd := exec.Command("bash", "-e", "-c", script)
		cmd.Env = append(tg.Env(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "GITHUB_OUTPUT="+out,
			"INPUT_COMMAND="+command, "INPUT_ARGS="+args, "INPUT_GATE=", "INPUT_REPORT="+filepath.Join(dir, "report"))
		b, err := cmd.CombinedOutput()
		o, _ := os.ReadFile(out)
		return string(b), string(o), err
	}
	log, outputs, err := run("kms check", "--endpoint "+tg.Endpoint+` --name "the fake" --run '^GenerateRandom/'`)
	if err != nil || !strings.Contains(outputs, "exit-code=0") || !strings.Contains(log, "9 specs against the fake") {
		t.Errorf("kms check through the action: %v, outputs %q\n%s", err, outputs, log)
	}
	log, outputs, err = run("kms check", "--endpoint "+tg.Endpoint+" --run '^NoSuchSpec$'")
	if err != nil || !strings.Contains(outputs, "exit-code=2") {
		t.Errorf("usage error through the action: %v, outputs %q\n%s", err, outputs, log)
	}
	if log, _, err = run("serve", ""); err == nil || !strings.Contains(log, "command must be run, runbook, kms check or partner") {
		t.Errorf("a bad command: %v\n%s", err, log)
	}
}
