package runbook

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsconform/kmsconform/internal/cli"
)

// kmsOp is one KMS operation as the aws CLI spells it, with its input
// members (kebab-case) and which of them are blobs.
type kmsOp struct {
	Name    string
	Members map[string]bool // member → is a blob ([]byte)
	Bools   map[string]bool
}

var (
	kmsOpsOnce sync.Once
	kmsOps     map[string]kmsOp
)

// kmsModel derives the operations and their members from the SDK: every
// method of *kms.Client of the shape (ctx, *XInput, ...optFns) (*XOutput,
// error), members from the exported fields of XInput.
func kmsModel() map[string]kmsOp {
	kmsOpsOnce.Do(func() {
		kmsOps = map[string]kmsOp{}
		t := reflect.TypeOf(&kms.Client{})
		ctxT := reflect.TypeOf((*context.Context)(nil)).Elem()
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			mt := m.Type
			if mt.NumIn() < 3 || mt.In(1) != ctxT || mt.In(2).Kind() != reflect.Pointer {
				continue
			}
			in := mt.In(2).Elem()
			if in.Kind() != reflect.Struct || in.Name() != m.Name+"Input" {
				continue
			}
			op := kmsOp{Name: kebab(m.Name), Members: map[string]bool{}, Bools: map[string]bool{}}
			for j := 0; j < in.NumField(); j++ {
				f := in.Field(j)
				if !f.IsExported() {
					continue
				}
				k := kebab(f.Name)
				op.Members[k] = f.Type == reflect.TypeOf([]byte(nil))
				if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool || f.Type.Kind() == reflect.Bool {
					op.Bools[k] = true
				}
			}
			kmsOps[op.Name] = op
		}
	})
	return kmsOps
}

// kebab turns an SDK name into the aws CLI's: GenerateDataKeyPair →
// generate-data-key-pair, KeyId → key-id.
func kebab(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		if unicode.IsUpper(c) {
			if i > 0 && (unicode.IsLower(r[i-1]) || unicode.IsDigit(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1]) && unicode.IsUpper(r[i-1])) {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(c))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// awsGlobal are the aws CLI's global options (v1 and v2) and whether each
// takes a value.
var awsGlobal = map[string]bool{
	"--debug": false, "--endpoint-url": true, "--no-verify-ssl": false, "--no-paginate": false, "--output": true,
	"--query": true, "--profile": true, "--region": true, "--version": false, "--color": true, "--no-sign-request": false,
	"--ca-bundle": true, "--cli-read-timeout": true, "--cli-connect-timeout": true, "--cli-binary-format": true,
	"--no-cli-pager": false, "--cli-auto-prompt": false, "--no-cli-auto-prompt": false,
	"--cli-input-json": true, "--cli-input-yaml": true, "--generate-cli-skeleton": false,
	"--starting-token": true, "--page-size": true, "--max-items": true,
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lintAWS checks an `aws ... kms OP --opt value ...` command line against
// the SDK's model of KMS.
func lintAWS(c *command, args []string) []Finding {
	var out []Finding
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		name, _, hasEq := strings.Cut(args[i], "=")
		takes, ok := awsGlobal[name]
		if !ok {
			out = append(out, unknownAWSOption(c, args[i], "", nil))
		}
		if takes && !hasEq {
			i++
		}
		i++
	}
	if i >= len(args) || args[i] != "kms" {
		return out
	}
	i++
	if i >= len(args) {
		return append(out, finding(c, Error, "aws-kms-operation", "aws kms without an operation", nil))
	}
	model := kmsModel()
	op, ok := model[args[i]]
	if !ok {
		msg := fmt.Sprintf("aws kms has no operation %q", args[i])
		if s := cli.Suggest(args[i], sortedKeys(model)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		return append(out, finding(c, Error, "aws-kms-operation", msg, nil))
	}
	for i++; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			continue // a value (lists take several)
		}
		name, val, hasEq := strings.Cut(a, "=")
		member := strings.TrimPrefix(name, "--")
		blob, isMember := op.Members[member]
		if !isMember && strings.HasPrefix(member, "no-") && op.Bools[strings.TrimPrefix(member, "no-")] {
			continue
		}
		takes, isGlobal := awsGlobal[name]
		switch {
		case !strings.HasPrefix(a, "--"):
			out = append(out, unknownAWSOption(c, a, op.Name, op.Members))
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				i++
			}
			continue
		case isGlobal:
			if takes && !hasEq {
				i++
			}
			continue
		case !isMember:
			out = append(out, unknownAWSOption(c, a, op.Name, op.Members))
			continue
		}
		if op.Bools[member] {
			continue
		}
		if !hasEq && i+1 < len(args) {
			i++
			val = args[i]
		}
		if blob {
			switch {
			case strings.HasPrefix(val, "fileb://"):
			case strings.HasPrefix(val, "file://"):
				out = append(out, finding(c, Warning, "aws-blob-text", fmt.Sprintf("--%s file://... reads the file as text; binary blobs need fileb://", member), []string{"aws CLI v1", "aws CLI v2"}))
			default:
				out = append(out, finding(c, Warning, "aws-blob-text", fmt.Sprintf("--%s is a blob given as text: CLI v1 sends the text's bytes, CLI v2 expects base64 (cli_binary_format); use fileb://FILE", member), []string{"aws CLI v1", "aws CLI v2"}))
			}
		}
	}
	return out
}

func unknownAWSOption(c *command, opt, op string, members map[string]bool) Finding {
	var cands []string
	for m := range members {
		cands = append(cands, "--"+m)
	}
	cands = append(cands, sortedKeys(awsGlobal)...)
	where := "the aws CLI"
	if op != "" {
		where = "aws kms " + op
	}
	msg := fmt.Sprintf("%s has no option %s", where, opt)
	if strings.HasPrefix(opt, "-") && !strings.HasPrefix(opt, "--") {
		msg += " (the aws CLI has no short options"
		if opt == "-o" {
			msg += "; --output"
		}
		msg += ")"
	} else if s := cli.Suggest(opt, cands); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return finding(c, Error, "aws-unknown-option", msg, nil)
}
