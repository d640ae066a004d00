package opensslcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("enc", runEnc) }

// encOpts are the parsed options of one `enc` run.
type encOpts struct {
	decrypt                bool
	in, out                string
	passArg                string
	password               []byte
	hasPassword            bool
	md                     string
	pbkdf2                 bool
	iter                   int
	nosalt                 bool
	hexSalt, hexKey, hexIV string
	hasSalt, hasKey, hasIV bool
	nopad, base64, oneLine bool
	printKey               int // 1: -p, 2: -P
	verbose                bool
	cipher                 *oracle.EncCipher
	list                   bool // -list, -ciphers
	help                   bool
}

// encValueOpts are the enc options that take a value.
var encValueOpts = map[string]bool{
	"in": true, "out": true, "pass": true, "k": true, "kfile": true, "K": true, "S": true,
	"iv": true, "md": true, "iter": true, "bufsize": true, "cipher": true,
	"provider": true, "propquery": true, "provider-path": true,
}

// encFlagOpts are the enc options without a value.
var encFlagOpts = map[string]bool{
	"e": true, "d": true, "p": true, "P": true, "v": true, "a": true, "base64": true, "A": true,
	"nopad": true, "salt": true, "nosalt": true, "pbkdf2": true, "none": true,
	"list": true, "ciphers": true, "help": true,
}

// profileLacks reports whether the selected profile's openssl has no such option.
func profileLacks(p oracle.Profile, name string) bool {
	return (name == "pbkdf2" || name == "iter") && !p.EncPBKDF2
}

// encUsage prints openssl's "Use -help" line and returns exit code 1.
func encUsage(env *Env) int {
	env.Errorf("enc: Use -help for summary.\n")
	return 1
}

// parseEncArgs parses enc's command line like openssl 3.0's opt_next.
// It returns false after printing openssl's message.
func parseEncArgs(env *Env, args []string) (*encOpts, bool) {
	o := &encOpts{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			encUsage(env)
			return nil, false
		}
		name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
		if profileLacks(env.Profile, name) {
			env.Errorf("unknown option '%s'\n", arg)
			env.Errorf("options are\n")
			return nil, false
		}
		var val string
		if encValueOpts[name] {
			if i+1 >= len(args) {
				env.Errorf("enc: Option -%s needs a value\n", name)
				encUsage(env)
				return nil, false
			}
			i++
			val = args[i]
		} else if !encFlagOpts[name] {
			if !o.setCipher(env, name) {
				return nil, false
			}
			continue
		}
		if !o.apply(env, name, val) {
			return nil, false
		}
	}
	return o, true
}

// setCipher handles `-aes-256-cbc` style options.
func (o *encOpts) setCipher(env *Env, name string) bool {
	c, err := oracle.LookupEncCipher(name)
	if err != nil {
		if strings.HasSuffix(strings.ToLower(name), "-gcm") || strings.HasSuffix(strings.ToLower(name), "-ccm") || strings.HasSuffix(strings.ToLower(name), "-ocb") {
			env.Errorf("enc: AEAD ciphers not supported\n")
		} else {
			env.Errorf("enc: Unknown cipher: %s\n", name)
		}
		encUsage(env)
		env.Errorf("kmsconform: hint: the oracle's enc supports %s\n", strings.Join(oracle.EncCiphers(), ", "))
		return false
	}
	o.cipher = &c
	return true
}

func (o *encOpts) apply(env *Env, name, val string) bool {
	switch name {
	case "e":
		o.decrypt = false
	case "d":
		o.decrypt = true
	case "p":
		o.printKey = 1
	case "P":
		o.printKey = 2
	case "v":
		o.verbose = true
	case "a", "base64":
		o.base64 = true
	case "A":
		o.oneLine = true
	case "nopad":
		o.nopad = true
	case "salt":
		o.nosalt = false
	case "nosalt":
		o.nosalt = true
	case "pbkdf2":
		o.pbkdf2 = true
	case "none":
		o.cipher = nil
	case "list", "ciphers":
		o.list = true
	case "help":
		o.help = true
	case "in":
		o.in = val
	case "out":
		o.out = val
	case "pass":
		o.passArg = val
	case "k":
		o.password, o.hasPassword = []byte(val), true
	case "kfile":
		pw, err := readKFile(env, "enc", val)
		if err != nil {
			encUsage(env)
			return false
		}
		o.password, o.hasPassword = pw, true
	case "K":
		o.hexKey, o.hasKey = val, true
	case "S":
		o.hexSalt, o.hasSalt = val, true
	case "iv":
		o.hexIV, o.hasIV = val, true
	case "md":
		if _, _, err := oracle.BytesToKey(val, nil, nil, 0, 0); err != nil {
			env.Errorf("enc: Unknown option or message digest: %s\n", val)
			encUsage(env)
			env.Errorf("kmsconform: hint: the oracle's enc supports -md md5, sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256\n")
			return false
		}
		o.md = val
	case "iter":
		n, err := strconv.Atoi(val)
		if err != nil {
			env.Errorf("enc: Can't parse \"%s\" as a number\n", val)
			encUsage(env)
			return false
		}
		if n <= 0 {
			env.Errorf("enc: Non-positive number \"%s\" for option -iter\n", val)
			encUsage(env)
			return false
		}
		o.iter, o.pbkdf2 = n, true
	case "bufsize", "provider", "propquery", "provider-path":
		// accepted for compatibility; they do not change the output
	case "cipher":
		return o.setCipher(env, val)
	}
	return true
}

// runEnc is `openssl enc`.
func runEnc(env *Env, args []string) int {
	o, ok := parseEncArgs(env, args)
	if !ok {
		return 1
	}
	if o.help {
		env.Errorf("%s", encHelp)
		return 0
	}
	if o.list {
		encList(env)
		return 0
	}
	if o.verbose {
		env.Errorf("bufsize=8192\n")
	}
	if !o.hasPassword && o.passArg != "" {
		pw, err := readPassArg(env, o.passArg)
		if err != nil {
			env.Errorf("Error getting password\n")
			return 1
		}
		o.password, o.hasPassword = pw, true
	}
	in, closeIn, ok := openIn(env, o.in)
	if !ok {
		return 1
	}
	defer closeIn()
	if o.cipher == nil {
		return encCopy(env, o, in)
	}
	if !o.hasPassword && !o.hasKey {
		dir := "encryption"
		if o.decrypt {
			dir = "decryption"
		}
		env.Errorf("enter %s %s password:\nbad password read\n", strings.ToUpper(o.cipher.Name), dir)
		return 1
	}
	p := oracle.EncParams{
		Cipher: o.cipher.Name, MD: o.md, PBKDF2: o.pbkdf2, Iter: o.iter, NoSalt: o.nosalt,
		NoPad: o.nopad, Base64: o.base64, Base64OneLine: o.oneLine, Profile: env.Profile,
	}
	var password []byte
	if o.hasPassword {
		password = o.password
		if password == nil {
			password = []byte{}
		}
	}
	if o.hasSalt && !o.nosalt && o.hasPassword {
		salt, ok := setHex(env, o.hexSalt, oracle.SaltLen)
		if !ok {
			env.Errorf("invalid hex salt value\n")
			return 1
		}
		p.Salt = salt
	}
	// The -iv and -K messages come after the key derivation in openssl:
	// collect them now, print them from OnKey.
	var hexMsgs bytes.Buffer
	quiet := *env
	quiet.Stderr = &hexMsgs
	if o.hasIV {
		if o.cipher.IVLen == 0 {
			hexMsgs.WriteString("warning: iv not used by this cipher\n")
		} else if iv, ok := setHex(&quiet, o.hexIV, o.cipher.IVLen); ok {
			p.IV = iv
		} else {
			env.Errorf("%sinvalid hex iv value\n", hexMsgs.String())
			return 1
		}
	}
	if !o.hasIV && !o.hasPassword && o.cipher.IVLen != 0 {
		env.Errorf("iv undefined\n")
		return 1
	}
	if o.hasKey {
		key, ok := setHex(&quiet, o.hexKey, o.cipher.KeyLen)
		if !ok {
			env.Errorf("%sinvalid hex key value\n", hexMsgs.String())
			return 1
		}
		p.Key = key
	}
	warn := o.hasPassword && !o.pbkdf2 && env.Profile.EncWarnDeprecatedKDF
	errPrinted := errors.New("printed")
	// openssl writes a binary "Salted__" header to stdout before the -p
	// lines (with -a the base64 layer holds it back): keep that order.
	header := !o.decrypt && o.hasPassword && !o.nosalt && !o.base64 &&
		(!o.hasSalt || env.Profile.EncHeaderWithExplicitSalt) && (o.out == "" || o.out == "-")
	var keyText bytes.Buffer
	p.OnKey = func(salt, key, iv []byte) error {
		if warn {
			env.Errorf("*** WARNING : deprecated key derivation used.\nUsing -iter or -pbkdf2 would be better.\n")
		}
		env.Errorf("%s", hexMsgs.String())
		if o.printKey == 0 {
			return nil
		}
		if !o.nosalt {
			if salt == nil {
				salt = make([]byte, oracle.SaltLen)
			}
			fmt.Fprintf(&keyText, "salt=%s\n", fmtHex(salt))
		}
		fmt.Fprintf(&keyText, "key=%s\n", fmtHex(key))
		if o.cipher.IVLen > 0 {
			fmt.Fprintf(&keyText, "iv =%s\n", fmtHex(iv))
		}
		if o.printKey == 2 {
			_, err := env.Stdout.Write(keyText.Bytes())
			if err == nil {
				err = errPrinted
			}
			return err
		}
		if !header {
			_, err := env.Stdout.Write(keyText.Bytes())
			keyText.Reset()
			return err
		}
		return nil
	}
	out, closeOut, ok := openOut(env, o.out)
	if !ok {
		return 1
	}
	if header && o.printKey == 1 {
		out = &afterFirstWrite{w: out, then: &keyText}
	}
	cin, cout := &countReader{r: in}, &countWriter{w: out}
	var err error
	if o.decrypt {
		err = oracle.Decrypt(cout, cin, password, p)
	} else {
		err = oracle.Encrypt(cout, cin, password, p)
	}
	if cerr := closeOut(); err == nil && cerr != nil {
		err = cerr
	}
	if errors.Is(err, errPrinted) {
		return 0
	}
	if o.verbose {
		env.Errorf("bytes read   :%9d\nbytes written:%9d\n", cin.n, cout.n)
	}
	return encReport(env, err)
}

// encHelp is the -help text (on stderr, exit 0, as openssl).
const encHelp = `Usage: enc [options]
kmsconform's Go reference of openssl enc; options as in OpenSSL 3.0:
 -e | -d                 encrypt (default) | decrypt
 -in file | -out file    input | output (default stdin | stdout)
 -pass src               password source: pass:X, file:F (first line, CR kept),
                         env:VAR, fd:N, stdin
 -k pw | -kfile file     password | password from a file (CR and LF stripped)
 -md digest              key-derivation digest (md5, sha1, sha256, sha512, ...)
 -pbkdf2 | -iter n       PBKDF2 instead of EVP_BytesToKey (-iter implies -pbkdf2)
 -salt | -nosalt | -S hex  random salt (default) | none | this salt (no header)
 -K hex -iv hex          raw key and iv
 -nopad                  no PKCS#7 padding (cbc, ecb)
 -a | -base64, -A        base64 output/input, -A on one line
 -p | -P                 print salt, key, iv | print them and exit
 -v                      byte counts on stderr
 -list | -ciphers        the supported ciphers
 -none | -<cipher> | -cipher name   no cipher | aes-{128,192,256}-{cbc,ctr,cfb,cfb1,cfb8,ofb,ecb}
`

// encList prints the supported ciphers as `enc -list` does: three a line.
func encList(env *Env) {
	fmt.Fprintf(env.Stdout, "Supported ciphers:\n")
	names := oracle.EncCiphers()
	for i, n := range names {
		sep := " "
		if i%3 == 2 || i == len(names)-1 {
			sep = "\n"
		}
		fmt.Fprintf(env.Stdout, "-%-25s%s", n, sep)
	}
}

// encReport prints openssl's message for err and returns the exit code.
func encReport(env *Env, err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, oracle.ErrBadDecrypt):
		env.Errorf("bad decrypt\n")
	case errors.Is(err, oracle.ErrBadEncrypt):
		env.Errorf("bad encrypt\n")
	case errors.Is(err, oracle.ErrBadMagicNumber):
		env.Errorf("bad magic number\n")
	case errors.Is(err, oracle.ErrBadBase64):
		env.Errorf("error reading input file\nkmsconform: error: %v\nkmsconform: hint: openssl itself would silently stop at this point and write short output; check how the base64 text was produced (-A for one line, no -A for 64-column lines)\n", err)
	case errors.Is(err, oracle.ErrReadInput):
		env.Errorf("error reading input file\n")
	default:
		env.Errorf("enc: %v\n", err)
	}
	return 1
}

// encCopy is enc without a cipher (-none, or only -a/-base64): a copy
// with optional base64 encoding or decoding.
func encCopy(env *Env, o *encOpts, in io.Reader) int {
	out, closeOut, ok := openOut(env, o.out)
	if !ok {
		return 1
	}
	var err error
	switch {
	case o.base64 && o.decrypt:
		_, err = io.Copy(out, oracle.NewBase64Reader(in, o.oneLine))
	case o.base64:
		w := oracle.NewBase64Writer(out, o.oneLine)
		if _, err = io.Copy(w, in); err == nil {
			err = w.Close()
		}
	default:
		_, err = io.Copy(out, in)
	}
	if cerr := closeOut(); err == nil && cerr != nil {
		err = cerr
	}
	return encReport(env, err)
}

// afterFirstWrite writes then's contents right after the first write (the
// "Salted__" header) to w.
type afterFirstWrite struct {
	w    io.Writer
	then *bytes.Buffer
}

func (a *afterFirstWrite) Write(p []byte) (int, error) {
	n, err := a.w.Write(p)
	if err == nil && a.then.Len() > 0 {
		_, err = a.w.Write(a.then.Bytes())
		a.then.Reset()
	}
	return n, err
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
