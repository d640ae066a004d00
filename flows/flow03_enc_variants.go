package flows

import "strconv"

// Flow 3 — seeds 000/004: openssl enc between producer and consumer with
// the option variants partners use. Both sides run the same options.
func init() {
	f := &Flow{ID: 3, Title: "enc variants between producer and consumer (-pbkdf2, -iter, -md, legacy KDF, -a, ciphers, sizes)", Seeds: []string{"000", "004"}}
	type variant struct {
		name   string
		cipher string
		opts   []string
		size   int
		pbkdf2 bool
	}
	vs := []variant{
		{"pbkdf2-size0", "aes-256-cbc", []string{"-pbkdf2"}, 0, true},
		{"pbkdf2-size1", "aes-256-cbc", []string{"-pbkdf2"}, 1, true},
		{"pbkdf2-1MiB", "aes-256-cbc", []string{"-pbkdf2"}, 1 << 20, true},
		{"pbkdf2-iter1000", "aes-256-cbc", []string{"-pbkdf2", "-iter", "1000"}, 1000, true},
		{"pbkdf2-iter100000", "aes-256-cbc", []string{"-pbkdf2", "-iter", "100000"}, 1000, true},
		{"pbkdf2-md-sha1", "aes-256-cbc", []string{"-pbkdf2", "-md", "sha1"}, 1000, true},
		{"pbkdf2-md-sha512", "aes-256-cbc", []string{"-pbkdf2", "-md", "sha512"}, 1000, true},
		{"pbkdf2-base64", "aes-256-cbc", []string{"-pbkdf2", "-a"}, 3000, true},
		{"pbkdf2-aes-128-cbc", "aes-128-cbc", []string{"-pbkdf2"}, 1000, true},
		{"pbkdf2-aes-256-ctr", "aes-256-ctr", []string{"-pbkdf2"}, 1000, true},
		{"legacy-md-sha256", "aes-256-cbc", []string{"-md", "sha256"}, 1000, false},
		{"legacy-md-md5", "aes-256-cbc", []string{"-md", "md5"}, 1000, false},
		{"legacy-md-sha1", "aes-256-cbc", []string{"-md", "sha1"}, 1000, false},
		{"legacy-nosalt", "aes-256-cbc", []string{"-md", "sha256", "-nosalt"}, 1000, false},
	}
	for _, v := range vs {
		c := Case{
			Name:   v.name,
			Params: P("cipher", v.cipher, "options", ShellJoin(v.opts), "size", strconv.Itoa(v.size)),
			Expect: MustPass,
			Run:    func(x *X) { flow3(x, v.cipher, v.opts, v.size) },
		}
		if v.pbkdf2 {
			c.Needs = Both(FeaturePBKDF2)
		}
		f.Cases = append(f.Cases, c)
	}
	register(f)
}

func flow3(x *X, cipher string, opts []string, size int) {
	x.ProducerTo("pass.txt", "rand", "-base64", "32")
	x.RandomFile("DATA", size)
	x.Producer(append([]string{"enc", "-" + cipher, "-salt", "-in", "DATA", "-out", "DATA.enc", "-pass", "file:./pass.txt"}, opts...)...)
	x.Consumer(append([]string{"enc", "-d", "-" + cipher, "-in", "DATA.enc", "-out", "DATA_plaintext", "-pass", "file:./pass.txt"}, opts...)...)
	x.Same("DATA", "DATA_plaintext")
}
