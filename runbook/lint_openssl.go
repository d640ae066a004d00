package runbook

import (
	"fmt"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// Release is an openssl release line lint names, with the compat profile
// (oracle/compat.go, the one source of truth) that describes it.
type Release struct {
	Version string
	Profile string
}

// Releases are the lines lint reports on, oldest first. 1.0.2 and LibreSSL
// are stand-in profiles (no real binary here).
var Releases = []Release{
	{"1.0.2", "1.0.2"}, {"1.1.1", "1.1.1"}, {"3.0", "3.0"}, {"3.5", "3.0"}, {"3.6", "3.0"}, {"4.0", "4.0"},
	{"libressl-3.3", "libressl-3.3"},
}

// versionsWhere lists the releases whose profile satisfies pred.
func versionsWhere(pred func(v string, p oracle.Profile) bool) []string {
	var out []string
	for _, r := range Releases {
		p, err := oracle.LookupProfile(r.Profile)
		if err == nil && pred(r.Version, p) {
			out = append(out, r.Version)
		}
	}
	return out
}

// atLeast compares dotted versions ("3.5" >= "3.0").
func atLeast(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := 0, 0
		if i < len(a) {
			fmt.Sscan(a[i], &x)
		}
		if i < len(b) {
			fmt.Sscan(b[i], &y)
		}
		if x != y {
			return x > y
		}
	}
	return true
}

// hasSaltlen says whether release v (of profile p) knows enc -saltlen.
func hasSaltlen(v string, p oracle.Profile) bool {
	return p.EncSaltlenSince != "" && atLeast(v, p.EncSaltlenSince)
}

// opts is an openssl command line's options: flag → values, in order.
type opts struct {
	args  []string
	order []string
	vals  map[string][]string
}

func parseOpts(args []string) opts {
	o := opts{args: args, vals: map[string][]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || len(a) < 2 {
			continue
		}
		o.order = append(o.order, a)
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			o.vals[a] = append(o.vals[a], args[i+1])
		} else {
			o.vals[a] = append(o.vals[a], "")
		}
	}
	return o
}

func (o opts) has(f ...string) bool {
	for _, x := range f {
		if _, ok := o.vals[x]; ok {
			return true
		}
	}
	return false
}

func (o opts) val(f string) string {
	if v := o.vals[f]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// lintState is what lint learns while reading a runbook in order: the
// files written in DER (for -keyform checks) and how each `enc` output was
// made (for the matching `enc -d`).
type lintState struct {
	der map[string]bool
	enc map[string]encMade
}

// encMade is how `openssl enc` wrote a file.
type encMade struct {
	line              int
	cipher, md, iter  string
	pbkdf2, explicitK bool
}

// encParams reads the key-derivation parameters of an enc command line.
func encParams(c *command, o opts) encMade {
	m := encMade{line: c.Line, md: o.val("-md"), iter: o.val("-iter"), pbkdf2: o.has("-pbkdf2") || o.has("-iter"), explicitK: o.has("-K")}
	for _, f := range o.order {
		if f != "-d" && f != "-e" && f != "-a" && f != "-A" && f != "-salt" && f != "-nosalt" && f != "-base64" && f != "-pbkdf2" && f != "-p" && f != "-P" && f != "-v" && o.val(f) == "" {
			m.cipher = f // the cipher flag, e.g. -aes-256-cbc
		}
	}
	if m.pbkdf2 && m.iter == "" {
		m.iter = "10000"
	}
	return m
}

// encPair records an `enc` output, or checks an `enc -d` against the enc
// that wrote its input: a different KDF, digest, iteration count or
// cipher is a bad decrypt on every line.
func (st *lintState) encPair(c *command, o opts) []Finding {
	m := encParams(c, o)
	if !o.has("-d") {
		if f := o.val("-out"); f != "" {
			st.enc[strings.TrimPrefix(f, "./")] = m
		} else if f := c.Stdout(); f != "" {
			st.enc[strings.TrimPrefix(f, "./")] = m
		}
		return nil
	}
	in := strings.TrimPrefix(o.val("-in"), "./")
	w, ok := st.enc[in]
	if !ok || w.explicitK || m.explicitK {
		return nil
	}
	var diffs []string
	if w.pbkdf2 != m.pbkdf2 {
		diffs = append(diffs, map[bool]string{true: "-pbkdf2 here, not there", false: "-pbkdf2 there, not here"}[m.pbkdf2])
	} else if w.iter != m.iter {
		diffs = append(diffs, fmt.Sprintf("-iter %s here, %s there", m.iter, w.iter))
	}
	if w.md != m.md && w.md != "" && m.md != "" {
		diffs = append(diffs, fmt.Sprintf("-md %s here, %s there", m.md, w.md))
	}
	if w.cipher != m.cipher && w.cipher != "" && m.cipher != "" {
		diffs = append(diffs, fmt.Sprintf("cipher %s here, %s there", m.cipher, w.cipher))
	}
	if len(diffs) == 0 {
		return nil
	}
	return []Finding{finding(c, Error, "openssl-enc-pair", fmt.Sprintf("enc -d derives another key than the enc at line %d that wrote %s (%s): bad decrypt", w.line, in, strings.Join(diffs, "; ")), nil)}
}

func finding(c *command, sev Severity, rule, msg string, versions []string) Finding {
	return Finding{Line: c.Line, Severity: sev, Rule: rule, Message: msg, Versions: versions}
}

// lintOpenSSL checks one openssl command line.
func (st *lintState) lintOpenSSL(c *command, args []string) []Finding {
	if len(args) < 2 {
		return nil
	}
	sub, o := args[1], parseOpts(args[2:])
	var out []Finding
	add := func(sev Severity, rule, msg string, versions []string) {
		if sev == Warning || len(versions) > 0 {
			out = append(out, finding(c, sev, rule, msg, versions))
		}
	}
	switch sub {
	case "kdf":
		add(Error, "openssl-kdf", "`openssl kdf` does not exist before 3.0 (\"Invalid command 'kdf'\")",
			versionsWhere(func(_ string, p oracle.Profile) bool { return !p.KDFCommand }))
	case "rsautl":
		add(Warning, "openssl-rsautl", "rsautl is deprecated since 3.0 (a warning on stderr) and is OAEP-SHA-1 only; use pkeyutl",
			versionsWhere(func(_ string, p oracle.Profile) bool { return p.RsautlDeprecated }))
	case "pkeyutl":
		pad := -1
		for i, v := range o.vals["-pkeyopt"] {
			k, _, _ := strings.Cut(v, ":")
			switch k {
			case "rsa_padding_mode":
				if pad < 0 {
					pad = i
				}
			case "rsa_oaep_md", "rsa_mgf1_md":
				if pad < 0 || pad > i {
					add(Error, "openssl-pkeyopt-order", fmt.Sprintf("-pkeyopt %s before rsa_padding_mode:oaep is refused (\"Can't set parameter\"); put rsa_padding_mode:oaep first", v),
						versionsWhere(func(_ string, p oracle.Profile) bool { return p.OAEPMDNeedsOAEPMode }))
				}
				add(Error, "openssl-pkeyopt-oaep-md", fmt.Sprintf("-pkeyopt %s is not supported (no OAEP digest choice: SHA-1 only)", v),
					versionsWhere(func(_ string, p oracle.Profile) bool { return !p.PkeyutlOAEPMD }))
			}
		}
	case "enc":
		password := o.has("-pass", "-k", "-kfile") || !o.has("-K")
		out = append(out, st.encPair(c, o)...)
		if o.has("-pbkdf2", "-iter") {
			add(Error, "openssl-enc-pbkdf2", "enc -pbkdf2/-iter do not exist on this line",
				versionsWhere(func(_ string, p oracle.Profile) bool { return !p.EncPBKDF2 }))
		} else if password {
			add(Warning, "openssl-enc-kdf", "enc without -pbkdf2 derives the key with EVP_BytesToKey (deprecated: 3.x warns on stderr); use -pbkdf2 on both sides",
				versionsWhere(func(_ string, p oracle.Profile) bool { return p.EncWarnDeprecatedKDF }))
		}
		if password && !o.has("-md", "-pbkdf2", "-iter") {
			md5 := versionsWhere(func(_ string, p oracle.Profile) bool { return p.EncDefaultMD == "md5" })
			add(Warning, "openssl-enc-md", "enc without -md: the key derivation digest is md5 on "+strings.Join(md5, ", ")+" and sha256 on later lines, so the two sides can derive different keys (bad decrypt); name -md sha256", md5)
		}
		if o.has("-saltlen") {
			add(Error, "openssl-enc-saltlen", "enc -saltlen exists only from 3.5 on",
				versionsWhere(func(v string, p oracle.Profile) bool { return !hasSaltlen(v, p) }))
		}
		if o.has("-a", "-base64") && o.has("-d") && !o.has("-A") {
			add(Warning, "openssl-base64-A", "enc -base64 -d without -A expects lines of at most 64 characters; KMS and `base64` output is one long line", nil)
		}
	case "base64":
		if o.has("-d") && !o.has("-A") {
			add(Warning, "openssl-base64-A", "openssl base64 -d without -A expects lines of at most 64 characters; KMS and `base64` output is one long line", nil)
		}
	}
	if o.has("-engine") {
		add(Error, "openssl-engine", "-engine is refused (engines were removed in 4.0: \"Multiple cipher or unknown options\")",
			versionsWhere(func(_ string, p oracle.Profile) bool { return p.EngineRefused }))
	}
	// Secrets on the command line.
	for _, f := range []string{"-pass", "-passin", "-passout"} {
		for _, v := range o.vals[f] {
			if strings.HasPrefix(v, "pass:") {
				add(Warning, "openssl-secret", fmt.Sprintf("%s pass:... puts a secret on the command line (ps, shell history); use file: or env:", f), nil)
			}
		}
	}
	if o.has("-k") {
		add(Warning, "openssl-secret", "-k puts the password on the command line (ps, shell history); use -pass file: or env:", nil)
	}
	if o.has("-K") {
		add(Warning, "openssl-secret", "-K puts the raw key on the command line (ps, shell history)", nil)
	}
	// DER keys without -keyform / -inform.
	keyOpt, formOpt := "-inkey", "-keyform"
	if sub == "rsa" || sub == "pkey" || sub == "ec" {
		keyOpt, formOpt = "-in", "-inform"
	}
	if sub == "pkeyutl" || sub == "rsautl" || sub == "rsa" || sub == "pkey" || sub == "ec" {
		if k := o.val(keyOpt); k != "" && st.isDER(k) && !strings.EqualFold(o.val(formOpt), "DER") {
			add(Error, "openssl-keyform", fmt.Sprintf("%s %s looks like a DER key but %s DER is missing; this line reads PEM only unless told", keyOpt, k, formOpt),
				versionsWhere(func(_ string, p oracle.Profile) bool { return !p.KeyformAutodetect }))
		}
	}
	if out := o.val("-out"); out != "" && strings.EqualFold(o.val("-outform"), "DER") {
		st.der[strings.TrimPrefix(out, "./")] = true
	}
	return out
}

func (st *lintState) isDER(name string) bool {
	name = strings.TrimPrefix(name, "./")
	return st.der[name] || strings.HasSuffix(strings.ToLower(name), ".der")
}

// lintHostTool checks the host tools runbooks get wrong across systems.
func (st *lintState) lintHostTool(c *command, args []string) []Finding {
	var out []Finding
	if args[0] == "base64" {
		for _, a := range args[1:] {
			switch {
			case a == "-D":
				out = append(out, finding(c, Error, "base64-D", "base64 -D is macOS's spelling; GNU base64 (Linux) refuses it: use -d (or --decode)", []string{"GNU coreutils"}))
			case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "i") && strings.Contains(a, "d"):
				out = append(out, finding(c, Warning, "base64-di", "base64 -di is GNU's (decode, ignore garbage); on macOS -i names the input file", []string{"macOS"}))
			}
		}
		// base64 -d > F: F holds what KMS gave, e.g. a DER public key.
		if hasDecode(args) {
			if f := c.Stdout(); f != "" {
				st.der[strings.TrimPrefix(f, "./")] = true
			}
		}
	}
	return out
}

func hasDecode(args []string) bool {
	for _, a := range args[1:] {
		if a == "--decode" || a == "-D" || strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && strings.Contains(a, "d") {
			return true
		}
	}
	return false
}

// dashes are the typographic dashes blogs put where "-" or "--" belongs.
var dashes = []string{"\u2013", "\u2014", "\u2212"}

// lintCommands lints every command of a runbook in order.
func lintCommands(cs []*command) []Finding {
	st := &lintState{der: map[string]bool{}, enc: map[string]encMade{}}
	var out []Finding
	for _, c := range cs {
		args := c.Args()
		if len(args) == 0 {
			continue
		}
		for _, a := range args {
			for _, d := range dashes {
				if strings.HasPrefix(a, d) {
					out = append(out, finding(c, Error, "typographic-dash", fmt.Sprintf("%q starts with a typographic dash (copied from a web page); the program sees a file name, not an option", a), nil))
				}
			}
		}
		switch args[0] {
		case "openssl":
			out = append(out, st.lintOpenSSL(c, args)...)
		case "aws":
			out = append(out, lintAWS(c, args)...)
		default:
			out = append(out, st.lintHostTool(c, args)...)
		}
		// A pipeline's last command writing DER: `... | base64 -d > F` handled above;
		// `... | openssl ... -outform DER > F` too.
		if args[0] == "openssl" && strings.EqualFold(parseOpts(args).val("-outform"), "DER") {
			if f := c.Stdout(); f != "" {
				st.der[strings.TrimPrefix(f, "./")] = true
			}
		}
	}
	return out
}
