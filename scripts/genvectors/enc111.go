package main

import (
	"encoding/hex"

	"github.com/kmsconform/kmsconform/vectors"
)

func init() {
	encNotes["cross-version"] = "Encrypted by one openssl version and decrypted by another."
	encNotes["explicit-salt-header"] = "Up to 1.1.1, `enc -S hex` still writes the Salted__ header, and `enc -d -S hex` ignores -S and reads the salt from the header; 3.x with -S reads no header and decrypts the header as ciphertext."
}

// genEnc111 records the enc cases between a real OpenSSL 1.1.1 and the host
// openssl 3.x, both directions: the 3.0 change of -S is the main pitfall.
func genEnc111(host, v111 *tool, version111, versionHost string) *vectors.File[vectors.EncGroup] {
	pw := detText("enc111/pw", 16)
	salt := det("enc111/salt", 8)
	saltHex := hex.EncodeToString(salt)
	msg := func(n int) []byte { return det("enc111/msg/"+itoa(n), n) }
	c := func(comment string, r vectors.Result, by111 bool, n int, encArgs []string, flags ...string) encCase {
		return encCase{comment: comment, flags: flags, result: r, encArgs: encArgs, encPass: pw, msg: msg(n), by111: by111}
	}
	specs := []encGroupSpec{
		// Decrypted by 1.1.1.
		{g: vectors.EncGroup{Compat: "1.1.1", Cipher: "aes-256-cbc", MD: "", SaltMode: "header"}, cases: []encCase{
			c("1.1.1 enc without -md (sha256)", vectors.Valid, true, 20, nil, "evp-bytestokey"),
			c("3.x enc without -md, decrypted by 1.1.1", vectors.Valid, false, 33, nil, "cross-version", "evp-bytestokey"),
			c("encrypted with -md md5 (1.0.2's default)", vectors.Invalid, true, 40, []string{"-md", "md5"}, "md5-default"),
		}},
		{g: vectors.EncGroup{Compat: "1.1.1", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "explicit", Salt: salt}, cases: []encCase{
			c("1.1.1 enc -S "+saltHex+" writes a Salted__ header", vectors.Valid, true, 17, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt", "explicit-salt-header"),
			c("1.1.1 enc with a random salt: -d -S reads the header's salt", vectors.Valid, true, 18, []string{"-md", "sha256"}, "explicit-salt-header"),
			c("3.x enc -S "+saltHex+" (no header), decrypted by 1.1.1 -S: bad magic number", vectors.Invalid, false, 40, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt-no-header", "cross-version"),
		}},
		{g: vectors.EncGroup{Compat: "1.1.1", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, SaltMode: "header"}, cases: []encCase{
			c("1.1.1 enc -pbkdf2", vectors.Valid, true, 45, []string{"-pbkdf2"}, "pbkdf2"),
			c("3.x enc -pbkdf2, decrypted by 1.1.1", vectors.Valid, false, 46, []string{"-pbkdf2"}, "pbkdf2", "cross-version"),
			c("1.1.1 enc -pbkdf2 -iter 1000", vectors.Invalid, true, 40, []string{"-pbkdf2", "-iter", "1000"}, "iter-mismatch"),
		}},
		// Decrypted by 3.x.
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", SaltMode: "explicit", Salt: salt}, cases: []encCase{
			c("1.1.1 enc -S "+saltHex+" (header written), decrypted by 3.x -S (header not read)", vectors.Invalid, true, 40, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt-header", "cross-version"),
			c("3.x enc -S "+saltHex, vectors.Valid, false, 21, []string{"-md", "sha256", "-S", saltHex}, "explicit-salt", "explicit-salt-no-header"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "", SaltMode: "header"}, cases: []encCase{
			c("1.1.1 enc -S "+saltHex+", decrypted by 3.x without -S (reads the header)", vectors.Valid, true, 22, []string{"-S", saltHex}, "explicit-salt-header", "cross-version", "evp-bytestokey"),
			c("1.1.1 enc without -md, decrypted by 3.x", vectors.Valid, true, 64, nil, "cross-version", "evp-bytestokey"),
		}},
		{g: vectors.EncGroup{Compat: "3.0", Cipher: "aes-256-cbc", MD: "sha256", PBKDF2: true, SaltMode: "header", Base64: true}, cases: []encCase{
			c("1.1.1 enc -pbkdf2 -a, decrypted by 3.x", vectors.Valid, true, 100, []string{"-pbkdf2", "-a"}, "pbkdf2", "base64", "cross-version"),
		}},
	}
	return buildEnc(&encTools{host: host, v111: v111}, specs, version111,
		"`openssl enc` between a real "+version111+" and "+versionHost+", both directions, recorded by scripts/gen-vectors.sh.",
		"Groups with compat 1.1.1 were decrypted by 1.1.1, the others by the 3.x binary; each test's comment says which binary encrypted (openssl-1.1.1 or openssl).")
}
