package opensslcli

import (
	"crypto"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// keyOpt describes one option of a key command: whether it takes a value
// and whether it may be repeated.
type keyOpt struct {
	value  bool
	repeat bool
}

// keyArgs is the result of parsing a key command's options.
type keyArgs struct {
	vals  map[string][]string
	flags map[string]bool
	order []string // flag names in the order given
	rest  []string
}

// last returns whichever of names was given last, or "" if none was:
// openssl lets a later flag override an earlier one (-decrypt -encrypt).
func (a *keyArgs) last(names ...string) string {
	for i := len(a.order) - 1; i >= 0; i-- {
		for _, n := range names {
			if a.order[i] == n {
				return n
			}
		}
	}
	return ""
}

func (a *keyArgs) str(name string) string {
	if v := a.vals[name]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

// parseKeyOpts parses openssl-style single-dash options. Errors are printed
// the way openssl 3.0 prints them; then the result is nil and the int is the
// exit code (1, or 0 for -help). Positional arguments are allowed only when
// positional is true.
func parseKeyOpts(env *Env, prog string, args []string, spec map[string]keyOpt, positional bool) (*keyArgs, int) {
	a := &keyArgs{vals: map[string][]string{}, flags: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if !positional {
				env.Errorf("%s: Use -help for summary.\n", prog)
				return nil, 1
			}
			a.rest = append(a.rest, arg)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
		if name == "help" {
			env.Errorf("Usage: %s [options]\nkmsconform implements: %s\n", prog, optList(spec))
			return nil, 0
		}
		o, ok := spec[name]
		if !ok {
			env.Errorf("%s: Unknown option: %s\n%s: Use -help for summary.\n", prog, arg, prog)
			return nil, 1
		}
		if !o.value {
			a.flags[name] = true
			a.order = append(a.order, name)
			continue
		}
		if i+1 >= len(args) {
			env.Errorf("%s: Option -%s needs a value\n%s: Use -help for summary.\n", prog, name, prog)
			return nil, 1
		}
		i++
		a.vals[name] = append(a.vals[name], args[i])
	}
	return a, 0
}

func optList(spec map[string]keyOpt) string {
	var names []string
	for n := range spec {
		names = append(names, "-"+n)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// maxKeyInput bounds what key commands read: keys and RSA blocks are small.
const maxKeyInput = 16 << 20

// readInput reads a whole file, or stdin when name is "" or "-".
func readInput(env *Env, name string) ([]byte, error) {
	var r io.Reader
	if name == "" || name == "-" {
		r = env.Stdin
	} else {
		f, err := os.Open(env.Path(name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxKeyInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyInput {
		return nil, fmt.Errorf("input larger than %d bytes", maxKeyInput)
	}
	return b, nil
}

// writeOutput writes data to a file (mode 0600 when secret, else 0644) or,
// when name is "" or "-", to stdout.
func writeOutput(env *Env, name string, data []byte, secret bool) error {
	if name == "" || name == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	mode := os.FileMode(0o644)
	if secret {
		mode = 0o600
	}
	p := env.Path(name)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if secret {
		// An existing file keeps its mode on open: tighten it.
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// openOutputError prints openssl's message for an output file it cannot create.
func openOutputError(env *Env, name string, err error) {
	env.Errorf("Can't open \"%s\" for writing, %s\n", name, syscallText(err))
}

// syscallText turns an *os.PathError into the C library text openssl shows.
func syscallText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// keyForm is the -inform/-keyform/-outform value: "", "PEM" or "DER".
func keyForm(env *Env, prog, opt, v string) (string, bool) {
	switch strings.ToUpper(v) {
	case "":
		return "", true
	case "PEM":
		return "PEM", true
	case "DER":
		return "DER", true
	}
	env.Errorf("%s: Bad format \"%s\"\n%s: Invalid format \"%s\" for option -%s\n%s: Use -help for summary.\n", prog, v, prog, v, opt, prog)
	return "", false
}

// loadKey reads a public or private key as openssl's load_key/load_pubkey
// do. form is "", "PEM" or "DER". With an empty form the format is detected
// when the profile allows it (3.x); otherwise PEM is required, as in 1.1.1.
// what names the key in messages ("public key", "private key", "peer key").
func loadKey(env *Env, name, form string, public bool, what string) (crypto.PublicKey, crypto.PrivateKey, bool) {
	pub, priv, _, ok := loadKeyData(env, name, form, public, what)
	return pub, priv, ok
}

// loadKeyData is loadKey that also returns the bytes it read.
func loadKeyData(env *Env, name, form string, public bool, what string) (crypto.PublicKey, crypto.PrivateKey, []byte, bool) {
	data, err := readInput(env, name)
	shown := name
	if name == "" || name == "-" {
		shown = "<stdin>"
	}
	if err != nil {
		if env.Profile.KeyformAutodetect {
			env.Errorf("Could not open file or uri for loading %s from %s\n", what, shown)
			env.Errorf("00000000:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n")
			env.Errorf("00000000:error:80000002:system library:file_open:%s:../providers/implementations/storemgmt/file_store.c:266:calling stat(%s)\n", syscallText(err), shown)
		} else {
			env.Errorf("Can't open %s for reading, %s\nunable to load %s\n", shown, syscallText(err), legacyWhat(what))
		}
		return nil, nil, nil, false
	}
	isPEM := oracle.IsPEM(data)
	formOK := form == "" && env.Profile.KeyformAutodetect || form == "PEM" && isPEM || form == "DER" && !isPEM || form == "" && isPEM
	var pub crypto.PublicKey
	var priv crypto.PrivateKey
	if formOK {
		if public {
			pub, err = oracle.ParsePublicKey(data)
		} else {
			priv, err = oracle.ParsePrivateKey(data)
		}
	} else {
		err = fmt.Errorf("expected %s input", orPEM(form))
	}
	if err != nil {
		if env.Profile.KeyformAutodetect {
			env.Errorf("Could not read %s from %s\n", what, shown)
			env.Errorf("00000000:error:1608010C:STORE routines:ossl_store_handle_load_result:unsupported:../crypto/store/store_result.c:149:\n")
		} else {
			expecting := "ANY PRIVATE KEY"
			if public {
				expecting = "PUBLIC KEY"
			}
			env.Errorf("unable to load %s\n00000000:error:0909006C:PEM routines:get_name:no start line:../crypto/pem/pem_lib.c:745:Expecting: %s\n", legacyWhat(what), expecting)
		}
		env.Errorf("kmsconform: hint: %v\n", err)
		return nil, nil, nil, false
	}
	return pub, priv, data, true
}

func orPEM(form string) string {
	if form == "" {
		return "PEM (add -keyform DER for a DER key)"
	}
	return form
}

// legacyWhat is 1.1.1's spelling of the key kind in "unable to load ...".
func legacyWhat(what string) string {
	switch what {
	case "public key":
		return "Public Key"
	case "private key":
		return "Private Key"
	}
	return what
}

// encodeKey renders DER as PEM with blockType, or returns it as is for DER.
func encodeKey(form, blockType string, der []byte) []byte {
	if form == "DER" {
		return der
	}
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

// pkeyErr prints the error-queue form of an oracle error after a heading
// such as "Public Key operation error".
func pkeyErr(env *Env, heading string, err error) {
	env.Errorf("%s\n", heading)
	var pe *oracle.PKeyError
	if errors.As(err, &pe) {
		env.Errorf("%s", pe.QueueLines())
		return
	}
	env.Errorf("00000000:error:kmsconform:%v\n", err)
}
