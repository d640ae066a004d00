package doctor

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// explain fills Cause, Command, Fix, Fault and Summary of a finding.
func explain(req EncRequest, f *EncFinding) {
	p := f.Params
	// causes and fixes are sentences; short are the same deviations as
	// openssl options, for Summary.
	var causes, fixes, short []string
	if p.Base64 {
		if p.Base64OneLine {
			causes = append(causes, "it is base64 on a single line (made with -a -A), which needs -a -A to read")
			short = append(short, "base64 output (-a -A)")
		} else {
			causes = append(causes, "it is base64 text (made with -a), which needs -a to read")
			short = append(short, "base64 output (-a)")
			if f.fr.longLines {
				causes[len(causes)-1] += fmt.Sprintf(" with its lines joined (openssl -a fails on lines over about %d characters)", maxBase64Line)
			}
		}
		fixes = append(fixes, "tell the consumer that the file is base64 (-a), or send it binary")
	}
	switch {
	case p.ExplicitSalt != nil:
		causes = append(causes, "it has no Salted__ header because OpenSSL 3.x omits it when the producer passes -S, so the consumer must pass the same -S")
		fixes = append(fixes, "drop -S on the producer side so that openssl writes the salt into the file")
		short = append(short, "-S SALT (no Salted__ header)")
	case p.NoSalt:
		causes = append(causes, "it has no salt (made with -nosalt), so it needs -nosalt")
		fixes = append(fixes, "drop -nosalt on the producer side")
		short = append(short, "-nosalt")
	}
	if p.PBKDF2 {
		var d []string
		if p.Iter != oracle.DefaultPBKDF2Iter {
			d = append(d, fmt.Sprintf("-iter %d instead of the default %d", p.Iter, oracle.DefaultPBKDF2Iter))
			short = append(short, fmt.Sprintf("-iter %d", p.Iter))
		}
		if p.MD != "sha256" {
			d = append(d, fmt.Sprintf("-md %s instead of the default sha256", p.MD))
			short = append(short, "-pbkdf2 -md "+p.MD)
		}
		if len(d) > 0 {
			causes = append(causes, "it uses -pbkdf2 with "+strings.Join(d, " and "))
			fixes = append(fixes, fmt.Sprintf("tell the consumer -pbkdf2 -iter %d -md %s, which the file does not record", p.Iter, p.MD))
		}
	} else {
		c := fmt.Sprintf("it uses the legacy key derivation (EVP_BytesToKey, no -pbkdf2) with -md %s", p.MD)
		switch p.MD {
		case "md5":
			c += ", the default of OpenSSL 1.0.2 and of LibreSSL (macOS) where OpenSSL 1.1.0 and later default to sha256"
		case "sha256":
			c += " (the default of OpenSSL 1.1.0 and later)"
		}
		causes = append(causes, c)
		fixes = append(fixes, "encrypt with -pbkdf2 -iter 600000 -md sha256 (OpenSSL 1.1.1 and later) and tell the consumer these settings")
		short = append(short, fmt.Sprintf("-md %s without -pbkdf2 (legacy EVP_BytesToKey)", p.MD))
	}
	if p.Cipher != "aes-256-cbc" {
		causes = append(causes, fmt.Sprintf("it is encrypted with %s, not aes-256-cbc", p.Cipher))
		fixes = append(fixes, "tell the consumer the cipher (or use aes-256-cbc)")
		short = append(short, "-"+p.Cipher)
	}
	if f.variant.change != "" {
		causes = append(causes, f.variant.change)
		fixes = append(fixes, f.variant.fix)
		short = append(short, "a password "+f.variant.name)
	}
	name := displayName(req.InPath)
	f.Fault = len(causes) > 0 || f.NearMiss
	switch {
	case f.NearMiss && len(causes) == 0:
		f.Cause = fmt.Sprintf("%s decrypts cleanly with the usual settings %s and the password as given, but not to the expected plaintext: %s", name, summary(p), f.Difference)
	case f.NearMiss:
		f.Cause = fmt.Sprintf("%s was encrypted with %s: %s; it decrypts cleanly with these settings (the password is right) but not to the expected plaintext: %s", name, summary(p), strings.Join(causes, "; "), f.Difference)
	case len(causes) == 0:
		f.Cause = fmt.Sprintf("%s decrypts with the usual settings %s and the password as given: the file is fine, so the consumer's command must differ from this one (check -pbkdf2, -iter, -md and the cipher)", name, summary(p))
	default:
		f.Cause = fmt.Sprintf("%s was encrypted with %s: %s", name, summary(p), strings.Join(causes, "; "))
	}
	if f.NearMiss {
		fixes = append(fixes, dataFix(f.Difference))
	}
	if len(fixes) == 0 {
		fixes = append(fixes, "change nothing: the file decrypts with these settings, so the consumer must use exactly the command above")
	}
	f.Fix = strings.Join(dedupe(fixes), "; ")
	f.Command = command(req, f)
	switch {
	case len(short) == 0 && !f.NearMiss:
		f.Summary = "no fault: decrypts with the usual settings " + summary(p)
	case len(short) == 0:
		f.Summary = "near miss: the usual settings and the password are right, but " + f.Difference
	default:
		f.Summary = "consistent with " + strings.Join(short, ", ") + " on the producer"
		if f.NearMiss {
			f.Summary += "; near miss: decrypts cleanly but " + f.Difference
		}
	}
}

// dataFix is the advice for a near miss: the key is right, the data is not.
func dataFix(diff string) string {
	switch {
	case strings.Contains(diff, "trailing newline"), strings.Contains(diff, "trailing CRLF"):
		return "the key and settings are right, the data differs by a line ending: `echo` adds a newline (use `printf '%s'`), and an editor may add one at the end of a file; make both sides agree or correct --expect"
	case strings.Contains(diff, "line endings"):
		return "the key and settings are right, the data has other line endings: convert it (`dos2unix`/`unix2dos`) on one side or correct --expect"
	case strings.Contains(diff, "prefix"):
		return "the key and settings are right, the data has another length: check that the whole file was sent and that --expect holds all of it"
	}
	return "the key and settings are right, the data itself differs: compare the producer's input with --expect"
}

// summary is the producer's settings as openssl options.
func summary(p EncParams) string {
	opts := []string{"-" + p.Cipher, "-md " + p.MD}
	if p.PBKDF2 {
		opts = append(opts, "-pbkdf2", fmt.Sprintf("-iter %d", p.Iter))
	}
	return "`openssl enc " + strings.Join(opts, " ") + "`"
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func displayName(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

// command builds the shell command that decrypts the file to stdout with
// the real openssl.
func command(req EncRequest, f *EncFinding) string {
	p := f.Params
	in := req.InPath
	if in == "" {
		in = "FILE"
	}
	args := []string{"openssl", "enc", "-d", "-" + p.Cipher}
	passIn, direct := passwordPipe(req.Pass, f.variant)
	if direct || passIn != "" {
		args = append(args, "-md", p.MD)
		if p.PBKDF2 {
			args = append(args, "-pbkdf2", "-iter", fmt.Sprint(p.Iter))
		}
		// Multi-line base64 with lines too long for -a is joined into one
		// line and read with -a -A from stdin.
		joined := p.Base64 && !p.Base64OneLine && f.fr.longLines
		if p.Base64 {
			args = append(args, "-a")
			if p.Base64OneLine || joined {
				args = append(args, "-A")
			}
		}
		switch {
		case p.ExplicitSalt != nil:
			args = append(args, "-S", hex.EncodeToString(p.ExplicitSalt))
		case p.NoSalt:
			args = append(args, "-nosalt")
		}
		join := "tr -d '\\r\\n' < " + shellQuote(in) + " | "
		if !joined {
			args = append(args, "-in", shellQuote(in))
		}
		switch {
		case direct && joined:
			return join + strings.Join(append(args, "-pass", shellQuote(req.Pass.Spec)), " ")
		case direct:
			return strings.Join(append(args, "-pass", shellQuote(req.Pass.Spec)), " ")
		case joined:
			// stdin carries the data: the password goes through fd 3.
			return passIn + " | { " + join + strings.Join(append(args, "-pass", "fd:3"), " ") + "; } 3<&0"
		}
		return passIn + " | " + strings.Join(append(args, "-pass", "stdin"), " ")
	}
	// The password cannot reach openssl through -pass (it holds a newline):
	// give the derived key and IV instead, and strip the framing by hand.
	var pre []string
	if p.Base64 {
		pre = append(pre, "tr -d '\\r\\n' < "+shellQuote(in)+" | openssl base64 -d -A")
	} else {
		pre = append(pre, "cat "+shellQuote(in))
	}
	if f.fr.header {
		pre = append(pre, "tail -c +17")
	}
	args = append(args, "-K", hex.EncodeToString(f.key))
	if len(f.iv) > 0 {
		args = append(args, "-iv", hex.EncodeToString(f.iv))
	}
	return strings.Join(append(pre, strings.Join(args, " ")), " | ")
}

// passwordPipe returns how the variant's password reaches openssl: direct
// when `-pass SPEC` as given works, else a shell command whose first line
// of output is the password (for `-pass stdin`), else neither when the
// password holds a newline.
func passwordPipe(src PassSource, v pwVariant) (pipe string, direct bool) {
	if v.name == "as given" {
		return "", true
	}
	if strings.ContainsAny(string(v.password), "\n") {
		return "", false
	}
	kind, val, _ := strings.Cut(src.Spec, ":")
	var base string
	switch kind {
	case "file":
		base = "head -n 1 " + shellQuote(val)
	case "env":
		base = `printf '%s\n' "$` + val + `"`
	default:
		base = `printf '%s\n' ` + shellQuote(val)
	}
	switch v.name {
	case "without the trailing CR", "without trailing whitespace":
		return base + ` | sed 's/[[:space:]]*$//'`, false
	case "with a trailing CR":
		return `printf '%s\r\n' "$(` + base + ` | tr -d '\n')"`, false
	}
	return "", false
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellQuote quotes s for sh when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
