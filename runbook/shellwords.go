package runbook

import (
	"strings"
)

// command is one simple command found in a runbook, for lint: its words
// with quotes removed (a command substitution stays as "$(...)"), its
// redirections, and its neighbours in a pipeline.
type command struct {
	Line   int
	Words  []string
	Redirs []redir
	// Prev and Next are the commands piped into and out of this one.
	Prev, Next *command
	// Quoted marks the words that were (partly) quoted.
	Quoted []bool
}

type redir struct {
	Op, Target string
}

// Name is the command name after assignments and reserved words.
func (c *command) Name() string {
	if a := c.Args(); a != nil {
		return a[0]
	}
	return ""
}

var reserved = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "!": true, "time": true, "{": true, "}": true, "sudo": true, "exec": true, "command": true}

// Args are the words from the command name on.
func (c *command) Args() []string {
	for i, w := range c.Words {
		if reserved[w] || isAssignment(w) && (i >= len(c.Quoted) || !c.Quoted[i] || strings.Index(w, "=") > 0) {
			continue
		}
		return c.Words[i:]
	}
	return nil
}

func isAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	return ok && identRE.MatchString(k)
}

// Stdout is where the command's output goes: a `>` target, or "".
func (c *command) Stdout() string {
	for _, r := range c.Redirs {
		if r.Op == ">" || r.Op == ">>" || r.Op == "1>" {
			return r.Target
		}
	}
	return ""
}

// lexer splits a script into simple commands.
type lexer struct {
	src  []rune
	pos  int
	line int
	out  []*command

	cur      *command
	word     strings.Builder
	inWord   bool
	quoted   bool
	pendOp   string   // a redirection waiting for its target
	heredocs []string // delimiters whose bodies start at the next newline
	pipePrev *command
}

// commands lexes the runbook's compiled script.
func commands(rb *Runbook) []*command {
	return lexShell(rb.Compile(), 1)
}

// lexShell returns the simple commands of src, whose first line is line.
// Command substitutions, process substitutions and backquotes are lexed as
// commands of their own.
func lexShell(src string, line int) []*command {
	lx := &lexer{src: []rune(src), line: line}
	lx.run()
	return lx.out
}

func (lx *lexer) peek(off int) rune {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

func (lx *lexer) endWord() {
	if !lx.inWord {
		return
	}
	w := lx.word.String()
	lx.word.Reset()
	lx.inWord = false
	if lx.cur == nil {
		lx.cur = &command{Line: lx.line}
	}
	if lx.pendOp != "" {
		lx.cur.Redirs = append(lx.cur.Redirs, redir{Op: lx.pendOp, Target: w})
		if strings.HasPrefix(lx.pendOp, "<<") && lx.pendOp != "<<<" {
			lx.heredocs = append(lx.heredocs, w)
		}
		lx.pendOp = ""
	} else {
		lx.cur.Words = append(lx.cur.Words, w)
		lx.cur.Quoted = append(lx.cur.Quoted, lx.quoted)
	}
	lx.quoted = false
}

func (lx *lexer) startWord(line int) {
	if !lx.inWord {
		lx.inWord = true
		if lx.cur == nil {
			lx.cur = &command{Line: line}
		}
	}
}

// endCommand closes the current command; piped links it to the next.
func (lx *lexer) endCommand(piped bool) {
	lx.endWord()
	c := lx.cur
	lx.cur = nil
	if c != nil && (len(c.Words) > 0 || len(c.Redirs) > 0) {
		if lx.pipePrev != nil {
			c.Prev, lx.pipePrev.Next = lx.pipePrev, c
		}
		lx.out = append(lx.out, c)
		lx.pipePrev = nil
		if piped {
			lx.pipePrev = c
		}
	}
}

// sub reads a balanced substitution body after its opening (pos at the
// first rune inside) up to the closing rune, lexes it, and returns its text.
func (lx *lexer) sub(close rune) string {
	startLine := lx.line
	depth, start := 1, lx.pos
	for lx.pos < len(lx.src) {
		r := lx.src[lx.pos]
		switch {
		case r == '\n':
			lx.line++
		case r == '\\':
			lx.pos++
		case r == '\'' && close == ')':
			for lx.pos++; lx.pos < len(lx.src) && lx.src[lx.pos] != '\''; lx.pos++ {
				if lx.src[lx.pos] == '\n' {
					lx.line++
				}
			}
		case close == ')' && r == '(':
			depth++
		case r == close:
			depth--
			if depth == 0 || close == '`' {
				body := string(lx.src[start:lx.pos])
				lx.pos++
				lx.out = append(lx.out, lexShell(body, startLine)...)
				return body
			}
		}
		lx.pos++
	}
	body := string(lx.src[start:])
	lx.out = append(lx.out, lexShell(body, startLine)...)
	return body
}

// heredocBodies skips the bodies of pending here-documents (pos just after
// the newline), lexing the command substitutions inside unquoted ones.
func (lx *lexer) heredocBodies() {
	for _, d := range lx.heredocs {
		quoted := strings.ContainsAny(d, `'"\\`)
		delim := strings.Trim(d, `'"\\`)
		bodyStart, bodyLine := lx.pos, lx.line
		for lx.pos < len(lx.src) {
			end := lx.pos
			for end < len(lx.src) && lx.src[end] != '\n' {
				end++
			}
			l := string(lx.src[lx.pos:end])
			lx.pos = end + 1
			lx.line++
			if strings.TrimLeft(l, "\t") == delim {
				break
			}
		}
		if !quoted {
			lx.out = append(lx.out, substitutions(lx.src[bodyStart:min(lx.pos, len(lx.src))], bodyLine)...)
		}
	}
	lx.heredocs = nil
}

// substitutions lexes the $(...) found in text (a here-document body)
// whose first line is line.
func substitutions(text []rune, line int) []*command {
	var out []*command
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\n':
			line++
		case text[i] == '$' && i+1 < len(text) && text[i+1] == '(' && (i+2 >= len(text) || text[i+2] != '('):
			sub := &lexer{src: text, pos: i + 2, line: line}
			sub.sub(')')
			sub.pos = min(sub.pos, len(text))
			out = append(out, sub.out...)
			for _, r := range text[i:sub.pos] {
				if r == '\n' {
					line++
				}
			}
			i = sub.pos - 1
		}
	}
	return out
}

func (lx *lexer) run() {
	for lx.pos < len(lx.src) {
		r := lx.src[lx.pos]
		switch {
		case r == '\\' && lx.peek(1) == '\n':
			lx.pos += 2
			lx.line++
			continue
		case r == '\\':
			lx.startWord(lx.line)
			lx.word.WriteRune(lx.peek(1))
			lx.quoted = true
			lx.pos += 2
			continue
		case r == '\n':
			lx.endCommand(false)
			lx.pos++
			lx.line++
			if len(lx.heredocs) > 0 {
				lx.heredocBodies()
			}
			continue
		case r == ' ' || r == '\t':
			lx.endWord()
		case r == '#' && !lx.inWord:
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
			continue
		case r == '\'':
			lx.startWord(lx.line)
			lx.quoted = true
			for lx.pos++; lx.pos < len(lx.src) && lx.src[lx.pos] != '\''; lx.pos++ {
				if lx.src[lx.pos] == '\n' {
					lx.line++
				}
				lx.word.WriteRune(lx.src[lx.pos])
			}
		case r == '"':
			lx.startWord(lx.line)
			lx.quoted = true
			for lx.pos++; lx.pos < len(lx.src) && lx.src[lx.pos] != '"'; lx.pos++ {
				c := lx.src[lx.pos]
				switch {
				case c == '\\' && strings.ContainsRune("\"\\$`\n", lx.peek(1)):
					lx.pos++
					if lx.src[lx.pos] != '\n' {
						lx.word.WriteRune(lx.src[lx.pos])
					} else {
						lx.line++
					}
				case c == '$' && lx.peek(1) == '(':
					lx.pos += 2
					lx.word.WriteString("$(" + lx.sub(')') + ")")
					lx.pos--
				case c == '`':
					lx.pos++
					lx.word.WriteString("`" + lx.sub('`') + "`")
					lx.pos--
				default:
					if c == '\n' {
						lx.line++
					}
					lx.word.WriteRune(c)
				}
			}
		case r == '$' && lx.peek(1) == '(' && lx.peek(2) != '(':
			lx.startWord(lx.line)
			lx.pos += 2
			lx.word.WriteString("$(" + lx.sub(')') + ")")
			continue
		case (r == '<' || r == '>') && lx.peek(1) == '(':
			lx.startWord(lx.line)
			lx.pos += 2
			lx.word.WriteString(string(r) + "(" + lx.sub(')') + ")")
			continue
		case r == '`':
			lx.startWord(lx.line)
			lx.pos++
			lx.word.WriteString("`" + lx.sub('`') + "`")
			continue
		case r == '|' || r == ';' || r == '&' && lx.peek(1) != '>':
			two := string(r) + string(lx.peek(1))
			lx.endCommand(r == '|' && two != "||")
			if two == "||" || two == "&&" || two == ";;" || two == "|&" {
				lx.pos++
			}
		case r == '(' || r == ')':
			lx.endCommand(false)
		case r == '<' || r == '>' || r == '&' && lx.peek(1) == '>':
			op := string(r)
			if lx.inWord && isDigits(lx.word.String()) {
				op = lx.word.String() + op
				lx.word.Reset()
				lx.inWord = false
			} else {
				lx.endWord()
			}
			for _, more := range []string{"<<-", "<<<", ">>", "<<", "&>>", "&>", ">&", "<&", ">|"} {
				if strings.HasPrefix(string(lx.src[lx.pos:min(len(lx.src), lx.pos+len(more))]), more) {
					op = strings.TrimSuffix(op, string(r)) + more
					lx.pos += len(more) - 1
					break
				}
			}
			lx.pendOp = op
			if lx.cur == nil {
				lx.cur = &command{Line: lx.line}
			}
		default:
			lx.startWord(lx.line)
			lx.word.WriteRune(r)
		}
		lx.pos++
	}
	lx.endCommand(false)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
