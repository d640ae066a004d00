package doctor

import (
	"fmt"
	"strings"
)

// ParseEncArgs reads `openssl enc` options (-aes-256-cbc, -md X, -pbkdf2,
// -iter N, -a, -A, -nosalt, -salt) into EncParams; anything else is an
// error naming the option.
func ParseEncArgs(args []string) (EncParams, error) {
	p := EncParams{Cipher: "aes-256-cbc", MD: "sha256"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, error) {
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		switch {
		case a == "-md":
			v, err := next()
			if err != nil {
				return p, err
			}
			p.MD = strings.ToLower(v)
		case a == "-iter":
			v, err := next()
			if err != nil {
				return p, err
			}
			if _, err := fmt.Sscan(v, &p.Iter); err != nil || p.Iter <= 0 {
				return p, fmt.Errorf("-iter %q is not a positive number", v)
			}
			p.PBKDF2 = true
		case a == "-pbkdf2":
			p.PBKDF2 = true
		case a == "-a" || a == "-base64":
			p.Base64 = true
		case a == "-A":
			p.Base64OneLine = true
		case a == "-nosalt":
			p.NoSalt = true
		case a == "-salt" || a == "-e" || a == "-d":
		case strings.HasPrefix(a, "-aes-"):
			p.Cipher = a[1:]
		default:
			return p, fmt.Errorf("option %q is not supported here (use -aes-*-*, -md, -pbkdf2, -iter, -a, -A, -nosalt)", a)
		}
	}
	if p.PBKDF2 && p.Iter == 0 {
		p.Iter = 10000
	}
	if _, err := newHash(p.MD); err != nil {
		return p, err
	}
	return p, nil
}
