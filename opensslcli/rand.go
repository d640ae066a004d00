package opensslcli

import (
	"strconv"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

func init() { register("rand", runRand) }

// runRand is `openssl rand [-hex|-base64] [-out file] num`.
func runRand(env *Env, args []string) int {
	usage := func() int {
		env.Errorf("rand: Use -help for summary.\n")
		return 1
	}
	format := oracle.RandRaw
	out := ""
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(rest) > 0 || !strings.HasPrefix(a, "-") || a == "-" {
			rest = append(rest, a)
			continue
		}
		switch strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-") {
		case "help":
			env.Errorf("Usage: rand [options] num\n -out file  output file\n -hex       hex output\n -base64    base64 output (64-column lines)\n")
			return 0
		case "hex":
			format = oracle.RandHex
		case "base64":
			format = oracle.RandBase64
		case "out":
			if i+1 >= len(args) {
				env.Errorf("rand: Option -out needs a value\n")
				return usage()
			}
			i++
			out = args[i]
		case "rand", "writerand", "engine", "provider", "propquery", "provider-path":
			if i+1 >= len(args) {
				env.Errorf("rand: Option %s needs a value\n", a)
				return usage()
			}
			i++
		default:
			env.Errorf("rand: Unknown option: %s\n", a)
			return usage()
		}
	}
	if len(rest) > 1 {
		return usage()
	}
	n := 0
	if len(rest) == 1 {
		v, err := strconv.Atoi(rest[0])
		if err != nil {
			env.Errorf("rand: Can't parse \"%s\" as a number\n", rest[0])
			return usage()
		}
		if v <= 0 {
			return usage()
		}
		n = v
	}
	// random bytes are usually key material: a new -out file is 0600
	w, closeOut, ok := openOutPerm(env, out, 0o600)
	if !ok {
		return 1
	}
	err := oracle.Rand(w, nil, n, format)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		env.Errorf("rand: %v\n", err)
		return 1
	}
	return 0
}
