package vectors

import (
	"encoding/hex"
	"fmt"
	"strconv"
)

// OpenSSLArgs returns the arguments of `openssl enc -d` that decrypt this
// group's cases, without -pass, -in and -out. defaultMD is the digest the
// group's compat profile uses without -md (oracle.Profile.EncDefaultMD); it
// is made explicit. explicitSaltReadsHeader is the profile's
// EncHeaderWithExplicitSalt when the group is to be run on an OpenSSL 3.x
// binary: up to 1.1.1, `enc -d -S` ignores -S and reads the Salted__
// header, which 3.x does when -S is left out. Pass false to get the command
// a user of the group's own version types.
func (g *EncGroup) OpenSSLArgs(defaultMD string, explicitSaltReadsHeader bool) ([]string, error) {
	md := g.MD
	if md == "" {
		md = defaultMD
	}
	if md == "" {
		return nil, fmt.Errorf("group (compat %s) names no digest and no default was given", g.Compat)
	}
	args := []string{"enc", "-d", "-" + g.Cipher, "-md", md}
	if g.PBKDF2 {
		args = append(args, "-pbkdf2")
		if g.Iter > 0 {
			args = append(args, "-iter", strconv.Itoa(g.Iter))
		}
	}
	switch g.SaltMode {
	case "nosalt":
		args = append(args, "-nosalt")
	case "explicit":
		if !explicitSaltReadsHeader {
			args = append(args, "-S", hex.EncodeToString(g.Salt))
		}
	}
	if g.Base64 {
		args = append(args, "-a")
	}
	return args, nil
}

// OpenSSLArgs returns the arguments of `openssl pkeyutl -decrypt` for this
// group with the private key in file keyPath and the given OAEP label,
// without -in and -out.
func (g *RSAGroup) OpenSSLArgs(keyPath string, label []byte) []string {
	args := []string{"pkeyutl", "-decrypt", "-inkey", keyPath}
	if g.Padding == "pkcs1" {
		return append(args, "-pkeyopt", "rsa_padding_mode:pkcs1")
	}
	args = append(args, "-pkeyopt", "rsa_padding_mode:oaep",
		"-pkeyopt", "rsa_oaep_md:"+g.SHA, "-pkeyopt", "rsa_mgf1_md:"+g.MGFSHA)
	if len(label) > 0 {
		args = append(args, "-pkeyopt", "rsa_oaep_label:"+hex.EncodeToString(label))
	}
	return args
}

// OpenSSLArgs returns the arguments of `openssl kdf` that compute test t of
// this group as raw bytes on stdout.
func (g *KDFGroup) OpenSSLArgs(t *KDFTest) []string {
	args := []string{"kdf", "-binary", "-keylen", strconv.Itoa(t.KeyLen), "-kdfopt", "digest:" + g.Digest}
	if g.KDF == "PBKDF2" {
		args = append(args, "-kdfopt", "hexpass:"+hex.EncodeToString(t.Key), "-kdfopt", "iter:"+strconv.Itoa(t.Iter))
	} else {
		args = append(args, "-kdfopt", "hexkey:"+hex.EncodeToString(t.Key))
	}
	if g.Mac != "" {
		args = append(args, "-kdfopt", "mac:"+g.Mac)
	}
	if len(t.Salt) > 0 {
		args = append(args, "-kdfopt", "hexsalt:"+hex.EncodeToString(t.Salt))
	}
	if len(t.Info) > 0 {
		args = append(args, "-kdfopt", "hexinfo:"+hex.EncodeToString(t.Info))
	}
	return append(args, g.KDF)
}
