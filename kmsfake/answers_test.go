package kmsfake

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAnswersTable: every entry names its code, its evidence and its
// source; the fake's source builds errors only through answerErr with an
// ID of the table and as many arguments as the template has verbs; and
// every entry is used somewhere.
func TestAnswersTable(t *testing.T) {
	evidence := map[string]bool{EvidenceRecorded: true, EvidenceReported: true, EvidenceCode: true, EvidenceLocalStack: true, EvidenceFake: true}
	for _, a := range Answers {
		if a.ID == "" || !strings.HasSuffix(a.Code, "Exception") || !evidence[a.Evidence] || len(a.Source) < 8 || (a.Status != 400 && a.Status != 500) {
			t.Errorf("entry %+v: needs an ID, an ...Exception code, a known Evidence, a Source and status 400 or 500", a)
		}
		if a.NoMessage && a.Message != "" {
			t.Errorf("%s: NoMessage with a message", a.ID)
		}
		if a.Evidence == EvidenceReported && !strings.Contains(a.Source, "http") && !strings.Contains(a.Source, ".md") && !strings.Contains(a.Source, "AWS") {
			t.Errorf("%s: reported text without the report", a.ID)
		}
	}
	used := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "apiError" && f != "answers.go" {
					t.Errorf("%s: an apiError built outside answerErr", fset.Position(n.Pos()))
				}
			case *ast.CallExpr:
				fn, ok := n.Fun.(*ast.Ident)
				if !ok || fn.Name != "answerErr" || f == "answers.go" {
					return true
				}
				pos := fset.Position(n.Pos())
				lit, ok := n.Args[0].(*ast.BasicLit)
				if !ok {
					// requiredSigned passes its table's IDs; checked below.
					if sel, ok := n.Args[0].(*ast.SelectorExpr); !ok || sel.Sel.Name != "answer" {
						t.Errorf("%s: answerErr with a computed id", pos)
					}
					return true
				}
				id, _ := strconv.Unquote(lit.Value)
				a, ok := LookupAnswer(id)
				if !ok {
					t.Errorf("%s: answer %q is not in Answers", pos, id)
					return true
				}
				used[id] = true
				verbs := len(verbRE.FindAllString(strings.ReplaceAll(a.Message, "%%", ""), -1))
				if args := len(n.Args) - 1; args != verbs && !(n.Ellipsis.IsValid()) {
					t.Errorf("%s: %s takes %d arguments, given %d", pos, id, verbs, args)
				}
			}
			return true
		})
	}
	for _, r := range requiredSigned {
		if _, ok := LookupAnswer(r.answer); !ok {
			t.Errorf("requiredSigned: answer %q is not in Answers", r.answer)
		}
		used[r.answer] = true
	}
	for _, a := range Answers {
		if !used[a.ID] {
			t.Errorf("entry %s is never used by the fake", a.ID)
		}
	}
}

// TestAnswersLookup: the exported API finds entries by ID, code and sent
// message, and formats templates as the fake does.
func TestAnswersLookup(t *testing.T) {
	a, ok := LookupAnswer("NotFound.KeyArn")
	if !ok || a.Code != "NotFoundException" || a.Format("arn:x") != "Key 'arn:x' does not exist" {
		t.Fatalf("LookupAnswer: %+v %v", a, ok)
	}
	if _, ok := LookupAnswer("nope"); ok {
		t.Fatal("unknown id found")
	}
	if m, ok := MatchAnswer("NotFoundException", "Key 'arn:aws:kms:us-east-1:000000000000:key/x' does not exist"); !ok || m.ID != "NotFound.KeyArn" {
		t.Fatalf("MatchAnswer: %+v", m)
	}
	if m, ok := MatchAnswer("NotFoundException", "Invalid keyId 'x'"); !ok || m.ID != "NotFound.InvalidKeyID" {
		t.Fatalf("MatchAnswer: %+v", m)
	}
	if m, ok := MatchAnswer("InvalidCiphertextException", ""); !ok || !m.NoMessage {
		t.Fatalf("MatchAnswer bare: %+v", m)
	}
	if _, ok := MatchAnswer("NotFoundException", "something else"); ok {
		t.Fatal("an unknown message matched")
	}
	if len(AnswersFor("InvalidSignatureException")) < 5 {
		t.Fatal("AnswersFor")
	}
	if e := answerErr("no such id"); e.Code != codeInternal || len(UnlistedAnswers()) == 0 {
		t.Fatalf("unknown id: %+v", e)
	}
	unlisted.Delete("no such id")
}
