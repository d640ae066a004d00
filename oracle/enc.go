package oracle

// The oracle's enc follows openssl 3.0 byte for byte (the differential
// suite checks it against the host binary), with one deliberate
// difference: base64 input at which openssl's base64 layer silently stops
// or garbles (a bad character, '=' in the middle, line breaks under -A;
// without -A, a first newline that is missing or later than byte 1023) is
// an ErrBadBase64 error saying why, where openssl writes short, wrong or no
// output and may still exit 0.

import (
	"bytes"
	"crypto/aes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// SaltLen is the size of the salt in enc's "Salted__" header.
const SaltLen = 8

// saltMagic starts every salted enc file.
var saltMagic = []byte("Salted__")

// Errors returned by Encrypt and Decrypt. Each is the key line openssl 3.0
// prints for the same condition (except ErrUnknownCipher/ErrUnknownDigest,
// ErrNotInProfile and ErrNoKey, which the CLI renders in openssl's words).
var (
	// ErrBadDecrypt: the final block's padding check failed, or the
	// ciphertext of a padded mode is not a whole number of blocks.
	ErrBadDecrypt = errors.New("bad decrypt")
	// ErrBadEncrypt: -nopad with a plaintext that is not a whole number of blocks.
	ErrBadEncrypt = errors.New("bad encrypt")
	// ErrBadMagicNumber: a salted decryption whose input does not start with "Salted__".
	ErrBadMagicNumber = errors.New("bad magic number")
	// ErrReadInput: the input ends inside the "Salted__" header.
	ErrReadInput = errors.New("error reading input file")
	// ErrUnknownCipher: the cipher name is not supported.
	ErrUnknownCipher = errors.New("unknown cipher")
	// ErrUnknownDigest: the -md name is not supported.
	ErrUnknownDigest = errors.New("unknown digest")
	// ErrNotInProfile: the parameters ask for something the selected
	// Profile's version does not have (e.g. PBKDF2 under 1.0.2).
	ErrNotInProfile = errors.New("not available in this openssl version")
	// ErrNoKey: neither a password nor a key was given, or no IV for a key.
	ErrNoKey = errors.New("no key material")
)

// EncParams are the settings of one `openssl enc` run.
type EncParams struct {
	// Cipher is openssl's cipher name, e.g. "aes-256-cbc" (see EncCiphers).
	Cipher string
	// MD is the key-derivation digest (-md); empty means Profile.EncDefaultMD.
	MD string
	// PBKDF2 selects PBKDF2 instead of EVP_BytesToKey (-pbkdf2). Iter > 0
	// implies it, as -iter does in openssl.
	PBKDF2 bool
	// Iter is the PBKDF2 iteration count (-iter); 0 means DefaultPBKDF2Iter.
	Iter int
	// Salt is an explicit 8-byte salt (-S). Nil: a random salt on encryption,
	// the header's salt on decryption.
	Salt []byte
	// NoSalt derives without salt and writes/reads no header (-nosalt).
	NoSalt bool
	// Key and IV (-K, -iv) override the derived key and IV. With a Key and
	// a nil password nothing is derived and there is no header.
	Key, IV []byte
	// NoPad turns PKCS#7 padding off (-nopad) for CBC and ECB.
	NoPad bool
	// Base64 encodes the output / decodes the input (-a); Base64OneLine
	// writes and reads it as one line (-A).
	Base64, Base64OneLine bool
	// Profile selects version behaviour; the zero Profile means DefaultProfile.
	Profile Profile
	// OnKey, when set, is called with the salt (nil without salt), key and IV
	// once they are known and before any output is written (-p, -P). A
	// non-nil error stops the run and is returned.
	OnKey func(salt, key, iv []byte) error
	// Rand is the source of random salts; nil means crypto/rand.
	Rand io.Reader
}

func (p *EncParams) profile() Profile {
	if p.Profile.Name == "" {
		return DefaultProfile
	}
	return p.Profile
}

// UsesPBKDF2 reports whether the parameters select PBKDF2.
func (p *EncParams) UsesPBKDF2() bool { return p.PBKDF2 || p.Iter > 0 }

// DeriveKeyIV computes the key and IV of cipher c from password and salt
// as enc does with these parameters, then applies the Key/IV overrides.
func (p *EncParams) DeriveKeyIV(c EncCipher, password, salt []byte) (key, iv []byte, err error) {
	prof := p.profile()
	if password != nil {
		md := p.MD
		if md == "" {
			md = prof.EncDefaultMD
		}
		if p.UsesPBKDF2() {
			if !prof.EncPBKDF2 {
				return nil, nil, fmt.Errorf("%w: -pbkdf2/-iter (profile %s)", ErrNotInProfile, prof.Name)
			}
			iter := p.Iter
			if iter == 0 {
				iter = DefaultPBKDF2Iter
			}
			key, iv, err = PBKDF2Key(md, salt, password, iter, c.KeyLen, c.IVLen)
		} else {
			key, iv, err = BytesToKey(md, salt, password, c.KeyLen, c.IVLen)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if p.Key != nil {
		if len(p.Key) != c.KeyLen {
			return nil, nil, fmt.Errorf("%s needs a %d-byte key, got %d bytes", c.Name, c.KeyLen, len(p.Key))
		}
		key = p.Key
	}
	if p.IV != nil && c.IVLen > 0 {
		if len(p.IV) != c.IVLen {
			return nil, nil, fmt.Errorf("%s needs a %d-byte iv, got %d bytes", c.Name, c.IVLen, len(p.IV))
		}
		iv = p.IV
	}
	if key == nil {
		return nil, nil, fmt.Errorf("%w: give a password or a key", ErrNoKey)
	}
	if iv == nil && c.IVLen > 0 {
		return nil, nil, fmt.Errorf("%w: iv undefined (give -iv with -K)", ErrNoKey)
	}
	return key, iv, nil
}

// salted reports whether a password-based run uses a salt.
func (p *EncParams) salted(password []byte) bool { return password != nil && !p.NoSalt }

func (p *EncParams) checkSalt() error {
	if prof := p.profile(); p.UsesPBKDF2() && !prof.EncPBKDF2 {
		return fmt.Errorf("%w: -pbkdf2/-iter (profile %s)", ErrNotInProfile, prof.Name)
	}
	if p.Salt != nil && len(p.Salt) != SaltLen {
		return fmt.Errorf("salt must be %d bytes, got %d", SaltLen, len(p.Salt))
	}
	return nil
}

// Encrypt reads plaintext from src and writes what `openssl enc -e` writes
// with the same parameters to dst. password nil means no password (then
// p.Key is required); an empty non-nil password is the empty password.
func Encrypt(dst io.Writer, src io.Reader, password []byte, p EncParams) error {
	c, err := LookupEncCipher(p.Cipher)
	if err != nil {
		return err
	}
	if err := p.checkSalt(); err != nil {
		return err
	}
	var salt []byte
	header := false
	if p.salted(password) {
		salt = p.Salt
		if salt == nil {
			r := p.Rand
			if r == nil {
				r = rand.Reader
			}
			salt = make([]byte, SaltLen)
			if _, err := io.ReadFull(r, salt); err != nil {
				return fmt.Errorf("random salt: %w", err)
			}
			header = true
		} else {
			header = p.profile().EncHeaderWithExplicitSalt
		}
	}
	key, iv, err := p.DeriveKeyIV(c, password, salt)
	if err != nil {
		return err
	}
	if p.OnKey != nil {
		if err := p.OnKey(salt, key, iv); err != nil {
			return err
		}
	}
	out := dst
	var b64 io.WriteCloser
	if p.Base64 {
		b64 = NewBase64Writer(dst, p.Base64OneLine)
		out = b64
	}
	if header {
		if _, err := out.Write(append(append([]byte{}, saltMagic...), salt...)); err != nil {
			return err
		}
	}
	if err := runCipher(out, src, c, key, iv, false, p.NoPad); err != nil {
		return err
	}
	if b64 != nil {
		return b64.Close()
	}
	return nil
}

// Decrypt reads what `openssl enc -e` wrote from src and writes the
// plaintext to dst, as `openssl enc -d` with the same parameters. Like
// openssl it may have written part of the plaintext before it returns
// ErrBadDecrypt; a caller that needs all-or-nothing buffers dst.
func Decrypt(dst io.Writer, src io.Reader, password []byte, p EncParams) error {
	c, err := LookupEncCipher(p.Cipher)
	if err != nil {
		return err
	}
	if err := p.checkSalt(); err != nil {
		return err
	}
	in := src
	if p.Base64 {
		in = NewBase64Reader(src, p.Base64OneLine)
	}
	var salt []byte
	if p.salted(password) {
		salt = p.Salt
		if salt == nil || p.profile().EncHeaderWithExplicitSalt {
			if salt, err = readSaltHeader(in); err != nil {
				return err
			}
		}
	}
	key, iv, err := p.DeriveKeyIV(c, password, salt)
	if err != nil {
		return err
	}
	if p.OnKey != nil {
		if err := p.OnKey(salt, key, iv); err != nil {
			return err
		}
	}
	return runCipher(dst, in, c, key, iv, true, p.NoPad)
}

// readSaltHeader reads "Salted__" and the salt as openssl 3.0 does: first
// the magic (short: ErrReadInput; different: ErrBadMagicNumber), then the salt.
func readSaltHeader(in io.Reader) ([]byte, error) {
	var hdr [len("Salted__") + SaltLen]byte
	if _, err := io.ReadFull(in, hdr[:8]); err != nil {
		return nil, readErr(err)
	}
	if !bytes.Equal(hdr[:8], saltMagic) {
		return nil, ErrBadMagicNumber
	}
	if _, err := io.ReadFull(in, hdr[8:]); err != nil {
		return nil, readErr(err)
	}
	return hdr[8:], nil
}

func readErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ErrReadInput
	}
	return fmt.Errorf("%w: %w", ErrReadInput, err)
}

// unpad checks PKCS#7 padding of the last block and returns the data
// without it, or ErrBadDecrypt.
func unpad(last []byte) ([]byte, error) {
	if len(last) != aes.BlockSize {
		return nil, ErrBadDecrypt
	}
	n := int(last[aes.BlockSize-1])
	if n == 0 || n > aes.BlockSize {
		return nil, ErrBadDecrypt
	}
	for _, b := range last[aes.BlockSize-n:] {
		if int(b) != n {
			return nil, ErrBadDecrypt
		}
	}
	return last[:aes.BlockSize-n], nil
}
