package vectors

import (
	"errors"
	"fmt"
	"strings"
)

func (g *EncGroup) schema() string { return SchemaEnc }

func (g *EncGroup) cases() []*Case {
	cs := make([]*Case, len(g.Tests))
	for i := range g.Tests {
		cs[i] = &g.Tests[i].Case
	}
	return cs
}

func (g *EncGroup) check() error {
	if err := oneOf("type", g.Type, "EncDecrypt"); err != nil {
		return err
	}
	if g.Compat == "" || g.Cipher == "" {
		return errors.New(`"compat" and "cipher" are required`)
	}
	if err := oneOf("saltMode", g.SaltMode, "header", "nosalt", "explicit"); err != nil {
		return err
	}
	if (g.SaltMode == "explicit") != (g.Salt != nil) {
		return errors.New(`"salt" is required with saltMode "explicit" and forbidden otherwise`)
	}
	if g.Salt != nil && len(g.Salt) != 8 {
		return fmt.Errorf(`"salt" must be 8 bytes, got %d`, len(g.Salt))
	}
	if g.Iter < 0 || (g.Iter > 0 && !g.PBKDF2) {
		return errors.New(`"iter" must be 0, or positive with "pbkdf2": true`)
	}
	for _, t := range g.Tests {
		if err := need("password", t.Password, "msg", t.Msg, "ct", t.Ct); err != nil {
			return fmt.Errorf("tcId %d: %w", t.TcID, err)
		}
		if t.IV != nil && t.Key == nil {
			return fmt.Errorf(`tcId %d: "iv" without "key"`, t.TcID)
		}
		if t.Key != nil && t.Result != Valid {
			return fmt.Errorf(`tcId %d: "key"/"iv" only on valid cases`, t.TcID)
		}
	}
	return nil
}

func (g *RSAGroup) schema() string { return SchemaRSA }

func (g *RSAGroup) cases() []*Case {
	cs := make([]*Case, len(g.Tests))
	for i := range g.Tests {
		cs[i] = &g.Tests[i].Case
	}
	return cs
}

func (g *RSAGroup) check() error {
	if err := oneOf("type", g.Type, "RsaDecrypt"); err != nil {
		return err
	}
	if g.KeySize < 512 {
		return fmt.Errorf(`"keySize" %d is not an RSA modulus size`, g.KeySize)
	}
	if !strings.Contains(g.PrivateKeyPem, "-----BEGIN PRIVATE KEY-----") {
		return errors.New(`"privateKeyPem" must hold a PKCS#8 "PRIVATE KEY" PEM block`)
	}
	if err := oneOf("padding", g.Padding, "oaep", "pkcs1"); err != nil {
		return err
	}
	oaep := g.Padding == "oaep"
	if oaep && (g.SHA == "" || g.MGFSHA == "") {
		return errors.New(`"sha" and "mgfSha" are required with padding "oaep"`)
	}
	if !oaep && (g.SHA != "" || g.MGFSHA != "") {
		return errors.New(`"sha" and "mgfSha" are only for padding "oaep"`)
	}
	for _, t := range g.Tests {
		if err := need("label", t.Label, "msg", t.Msg, "ct", t.Ct); err != nil {
			return fmt.Errorf("tcId %d: %w", t.TcID, err)
		}
		if !oaep && len(t.Label) != 0 {
			return fmt.Errorf(`tcId %d: "label" must be empty with padding "pkcs1"`, t.TcID)
		}
	}
	return nil
}

func (g *ECDHGroup) schema() string { return SchemaECDH }

func (g *ECDHGroup) cases() []*Case {
	cs := make([]*Case, len(g.Tests))
	for i := range g.Tests {
		cs[i] = &g.Tests[i].Case
	}
	return cs
}

func (g *ECDHGroup) check() error {
	if err := oneOf("type", g.Type, "EcdhDerive"); err != nil {
		return err
	}
	if err := oneOf("curve", g.Curve, "P-256", "P-384", "P-521"); err != nil {
		return err
	}
	for _, t := range g.Tests {
		if err := need("private", t.Private, "public", t.Public, "shared", t.Shared); err != nil {
			return fmt.Errorf("tcId %d: %w", t.TcID, err)
		}
		if t.Result == Valid && len(t.Shared) == 0 {
			return fmt.Errorf(`tcId %d: a valid case needs a non-empty "shared"`, t.TcID)
		}
	}
	return nil
}

func (g *KDFGroup) schema() string { return SchemaKDF }

func (g *KDFGroup) cases() []*Case {
	cs := make([]*Case, len(g.Tests))
	for i := range g.Tests {
		cs[i] = &g.Tests[i].Case
	}
	return cs
}

func (g *KDFGroup) check() error {
	if err := oneOf("type", g.Type, "KdfDerive"); err != nil {
		return err
	}
	if err := oneOf("kdf", g.KDF, "SSKDF", "X963KDF", "HKDF", "KBKDF", "PBKDF2"); err != nil {
		return err
	}
	if g.Digest == "" {
		return errors.New(`missing "digest"`)
	}
	if (g.KDF == "KBKDF") != (g.Mac != "") {
		return errors.New(`"mac" is required for KBKDF and forbidden otherwise`)
	}
	for _, t := range g.Tests {
		if err := need("key", t.Key, "salt", t.Salt, "info", t.Info, "out", t.Out); err != nil {
			return fmt.Errorf("tcId %d: %w", t.TcID, err)
		}
		if t.KeyLen <= 0 || len(t.Out) != t.KeyLen {
			return fmt.Errorf(`tcId %d: "keyLen" %d must be positive and equal the length of "out" (%d)`, t.TcID, t.KeyLen, len(t.Out))
		}
		if (g.KDF == "PBKDF2") != (t.Iter > 0) {
			return fmt.Errorf(`tcId %d: "iter" must be positive for PBKDF2 and 0 otherwise`, t.TcID)
		}
	}
	return nil
}
