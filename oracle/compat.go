package oracle

import (
	"fmt"
	"sort"
	"strings"
)

// Profile describes, as data, how one line of OpenSSL (or LibreSSL) behaves
// where versions differ in ways that break partner runbooks. The oracle and
// `kmsconform openssl` consult a Profile instead of testing version numbers.
type Profile struct {
	// Name is the compat name users pass to --compat (e.g. "1.0.2", "3.0").
	Name string
	// Description says in one line which product and version this stands for.
	Description string
	// StandIn is true when no real binary of this line is exercised anywhere
	// in kmsconform: the profile is the harness's own stand-in, and output
	// produced under it must say so.
	StandIn bool

	// EncDefaultMD is the digest `enc` uses for key derivation without -md.
	EncDefaultMD string
	// EncPBKDF2 reports whether `enc` knows -pbkdf2 and -iter.
	EncPBKDF2 bool
	// EncHeaderWithExplicitSalt reports whether `enc -S hex` still writes the
	// "Salted__" header (true up to 1.1.1, false from 3.0 on).
	EncHeaderWithExplicitSalt bool
	// EncWarnDeprecatedKDF reports whether `enc` prints
	// "*** WARNING : deprecated key derivation used." without -pbkdf2.
	EncWarnDeprecatedKDF bool

	// KDFCommand reports whether the `kdf` command exists (3.0 and later).
	KDFCommand bool
	// RsautlDeprecated reports whether rsautl prints a deprecation warning.
	RsautlDeprecated bool
	// PkeyutlOAEPMD reports whether pkeyutl accepts -pkeyopt rsa_oaep_md and
	// rsa_mgf1_md (LibreSSL 2.x does not: seed 001's "pkeyutl issue on macOS").
	PkeyutlOAEPMD bool
	// KeyformAutodetect reports whether -inkey detects DER without -keyform DER.
	KeyformAutodetect bool
	// OAEPMDNeedsOAEPMode reports whether pkeyutl refuses -pkeyopt
	// rsa_oaep_md / rsa_mgf1_md unless rsa_padding_mode:oaep came first
	// (1.1.1w: "invalid padding mode"); 3.x records them and ignores them
	// under PKCS#1 v1.5 padding.
	OAEPMDNeedsOAEPMode bool
	// RSAPrivOutTraditional reports whether `rsa` writes private keys as
	// PKCS#1 ("BEGIN RSA PRIVATE KEY") by default; 3.x writes PKCS#8.
	RSAPrivOutTraditional bool
	// ECReadsOnlyEC reports whether `ec` refuses a key that is not an EC key
	// (1.1.1w: "expecting a ec key"); 3.x reads and writes any key.
	ECReadsOnlyEC bool
	// EncSaltlenSince is the first release of the line whose `enc` knows
	// -saltlen ("" when none does: 1.1.1w "Unrecognized flag saltlen", 3.0.20
	// refuses it, 3.5.9 and 4.0.3 accept it; field notes).
	EncSaltlenSince string
	// EngineRefused reports whether -engine is refused (4.0.3: "Multiple
	// cipher or unknown options"; engines were removed in 4.0).
	EngineRefused bool
}

var profiles = map[string]Profile{
	"1.0.2": {
		Name: "1.0.2", Description: "OpenSSL 1.0.2 (stand-in: md5 enc default, no -pbkdf2)", StandIn: true,
		EncDefaultMD: "md5", EncPBKDF2: false, EncHeaderWithExplicitSalt: true,
		KDFCommand: false, RsautlDeprecated: false, PkeyutlOAEPMD: true, KeyformAutodetect: false,
		OAEPMDNeedsOAEPMode: true, RSAPrivOutTraditional: true, ECReadsOnlyEC: true,
	},
	"1.1.1": {
		Name: "1.1.1", Description: "OpenSSL 1.1.1",
		EncDefaultMD: "sha256", EncPBKDF2: true, EncHeaderWithExplicitSalt: true, EncWarnDeprecatedKDF: true,
		KDFCommand: false, RsautlDeprecated: false, PkeyutlOAEPMD: true, KeyformAutodetect: false,
		OAEPMDNeedsOAEPMode: true, RSAPrivOutTraditional: true, ECReadsOnlyEC: true,
	},
	"3.0": {
		Name: "3.0", Description: "OpenSSL 3.x (3.0 to 3.6)",
		EncDefaultMD: "sha256", EncPBKDF2: true, EncHeaderWithExplicitSalt: false, EncWarnDeprecatedKDF: true,
		KDFCommand: true, RsautlDeprecated: true, PkeyutlOAEPMD: true, KeyformAutodetect: true,
		EncSaltlenSince: "3.5",
	},
	"4.0": {
		Name: "4.0", Description: "OpenSSL 4.0",
		EncDefaultMD: "sha256", EncPBKDF2: true, EncHeaderWithExplicitSalt: false, EncWarnDeprecatedKDF: true,
		KDFCommand: true, RsautlDeprecated: true, PkeyutlOAEPMD: true, KeyformAutodetect: true,
		EncSaltlenSince: "4.0", EngineRefused: true,
	},
	// LibreSSL's enc: md5 default and no PBKDF2 up to 2.8 (its enc.c falls
	// back to EVP_md5()); 2.9.1 "added pbkdf2 key derivation support to
	// openssl(1) enc" and "changed the default digest type of openssl(1) enc
	// to sha256" (LibreSSL 2.9.1 release notes). Its enc writes the
	// "Salted__" header also with -S, like OpenSSL 1.1.1.
	"libressl-2.8": {
		Name: "libressl-2.8", Description: "LibreSSL 2.8 as shipped by older macOS (stand-in: md5 enc default, no -pbkdf2, no rsa_oaep_md)", StandIn: true,
		EncDefaultMD: "md5", EncPBKDF2: false, EncHeaderWithExplicitSalt: true,
		KDFCommand: false, RsautlDeprecated: false, PkeyutlOAEPMD: false, KeyformAutodetect: false,
		OAEPMDNeedsOAEPMode: true, RSAPrivOutTraditional: true, ECReadsOnlyEC: true,
	},
	"libressl-3.3": {
		Name: "libressl-3.3", Description: "LibreSSL 3.3 as shipped by newer macOS (stand-in: sha256 enc default, -pbkdf2, no rsa_oaep_md)", StandIn: true,
		EncDefaultMD: "sha256", EncPBKDF2: true, EncHeaderWithExplicitSalt: true,
		KDFCommand: false, RsautlDeprecated: false, PkeyutlOAEPMD: false, KeyformAutodetect: false,
		OAEPMDNeedsOAEPMode: true, RSAPrivOutTraditional: true, ECReadsOnlyEC: true,
	},
}

// aliases maps other accepted spellings to a profile name.
var aliases = map[string]string{
	"":    "3.0",
	"3":   "3.0",
	"3.5": "3.0",
	"3.6": "3.0",
	"1.1": "1.1.1",
	"1.0": "1.0.2",
	"4":   "4.0",

	"libressl":   "libressl-2.8",
	"libressl-2": "libressl-2.8",
	"libressl-3": "libressl-3.3",
}

// DefaultProfile is the behaviour of OpenSSL 3.x, used when no compat is named.
var DefaultProfile = profiles["3.0"]

// LookupProfile returns the profile for a --compat name such as "1.0.2",
// "1.1.1", "3.0" or "libressl-2.8". The empty name gives DefaultProfile.
func LookupProfile(name string) (Profile, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[key]; ok {
		key = a
	}
	if p, ok := profiles[key]; ok {
		return p, nil
	}
	return Profile{}, fmt.Errorf("unknown compat profile %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
}

// ProfileNames lists the canonical profile names, sorted.
func ProfileNames() []string {
	names := make([]string, 0, len(profiles))
	for n := range profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
