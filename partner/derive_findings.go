package partner

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/kmsconform/kmsconform/oracle"
)

// deriveFinding is one way an ECDH tool departs from what KMS derives:
// the cause, the fix and the stacks whose calls behave that way.
type deriveFinding struct {
	observed, cause, fix string
	stacks               []StackFix
}

// Fix lines per stack for the ECDH findings (field-notes.md, "ECDH").
var (
	fixRawZ = []StackFix{
		{Stack: "Java (SunEC or BouncyCastle)", Call: "MessageDigest over ka.generateSecret(), or a KDF KeyAgreement such as \"ECDHWithSHA256KDF\"", Language: "java", Fix: `byte[] z = ka.generateSecret(); // KeyAgreement.getInstance("ECDH"): write z itself`},
		{Stack: "Node crypto", Call: "crypto.createHash('sha256') or crypto.hkdfSync over the ECDH secret", Language: "javascript", Fix: `const z = crypto.diffieHellman({ privateKey, publicKey: kmsPublicKey }); // write z itself`},
		{Stack: "WebCrypto", Call: "deriveKey/HKDF over deriveBits, or digest('SHA-256', bits)", Language: "javascript", Fix: `const z = await crypto.subtle.deriveBits({ name: 'ECDH', public: kmsPublicKey }, privateKey, FIELD_BITS); // P-521: 528`},
		{Stack: "Python cryptography (pyca)", Call: "hashlib.sha256(shared) or HKDF(...).derive(shared)", Language: "python", Fix: `z = private_key.exchange(ec.ECDH(), kms_public_key)  # write z itself`},
		{Stack: "Go crypto/ecdh", Call: "sha256.Sum256(z) or hkdf.Key over priv.ECDH(pub)", Language: "go", Fix: `z, err := priv.ECDH(kmsPub) // write z itself`},
		{Stack: ".NET", Call: "ECDiffieHellman.DeriveKeyMaterial (SHA-256 of Z by default) or DeriveKeyFromHash", Language: "csharp", Fix: `byte[] z = ecdh.DeriveRawSecretAgreement(kmsPublicKey); // .NET 8+`},
		{Stack: "openssl", Call: "openssl pkeyutl -derive piped into dgst or kdf", Language: "shell", Fix: `openssl pkeyutl -derive -inkey priv.pem -peerkey kms.pem -out z.bin`},
	}
	fixApplyKDF = []StackFix{
		{Stack: "Python cryptography (pyca)", Language: "python", Fix: `key = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=INFO).derive(z)  # or X963KDF(hashes.SHA256(), 32, SHAREDINFO)`},
		{Stack: "Node crypto", Language: "javascript", Fix: `const key = Buffer.from(crypto.hkdfSync('sha256', z, SALT, INFO, 32));`},
		{Stack: "Go", Language: "go", Fix: `key, err := hkdf.Key(sha256.New, z, SALT, INFO, 32) // crypto/hkdf, Go 1.24+`},
		{Stack: "Java (BouncyCastle)", Language: "java", Fix: `HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest()); g.init(new HKDFParameters(z, SALT, INFO)); g.generateBytes(key, 0, 32);`},
		{Stack: "openssl 3.x", Language: "shell", Fix: `openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:$(xxd -p -c0 z.bin) -kdfopt salt:SALT -kdfopt info:INFO HKDF`},
	}
	fixLeadingZeros = []StackFix{
		{Stack: "Java", Call: "new BigInteger(1, z).toByteArray() or a BigInteger round trip", Language: "java", Fix: `byte[] z = ka.generateSecret(); // already fixed length: never round-trip through BigInteger`},
		{Stack: "Go", Call: "new(big.Int).SetBytes(z).Bytes()", Language: "go", Fix: `z, err := priv.ECDH(kmsPub) // fixed length; if a big.Int is unavoidable: n.FillBytes(make([]byte, FIELD_BYTES))`},
		{Stack: "Python", Call: "n.to_bytes((n.bit_length() + 7) // 8, 'big')", Language: "python", Fix: `z = n.to_bytes(FIELD_BYTES, "big")  # 32, 48 or 66`},
		{Stack: "Node", Call: "BN.js toArray() or hex round trip through BigInt", Language: "javascript", Fix: `const z = Buffer.from(bn.toArray('be', FIELD_BYTES)); // or crypto.diffieHellman(), already fixed length`},
	}
	fixSPKI = []StackFix{
		{Stack: "Node crypto", Call: "ecdh.getPublicKey() (createECDH) gives a bare point", Language: "javascript", Fix: `fs.writeFileSync(out, publicKey.export({ type: 'spki', format: 'der' })); // keys from crypto.generateKeyPairSync('ec', { namedCurve })`},
		{Stack: "WebCrypto", Call: "exportKey('raw', publicKey) gives a bare point", Language: "javascript", Fix: `const der = await crypto.subtle.exportKey('spki', keyPair.publicKey);`},
		{Stack: "Python cryptography (pyca)", Call: "PublicFormat.UncompressedPoint / CompressedPoint", Language: "python", Fix: `pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)`},
		{Stack: "Go crypto/ecdh", Call: "priv.PublicKey().Bytes() gives a bare point", Language: "go", Fix: `der, err := x509.MarshalPKIXPublicKey(priv.PublicKey())`},
		{Stack: "Java", Call: "a hand-built point from ECPoint", Language: "java", Fix: `byte[] der = keyPair.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo`},
		{Stack: "openssl", Call: "openssl ec -conv_form compressed", Language: "shell", Fix: `openssl pkey -pubin -in pub.pem -outform DER -out pub.der  # uncompressed SPKI`},
	}
	fixCurve = []StackFix{
		{Stack: "Java", Language: "java", Fix: `kpg.initialize(((ECPublicKey) kmsPublicKey).getParams()); // same curve as the KMS key`},
		{Stack: "Node crypto", Language: "javascript", Fix: `crypto.generateKeyPairSync('ec', { namedCurve: kmsPublicKey.asymmetricKeyDetails.namedCurve })`},
		{Stack: "Python cryptography (pyca)", Language: "python", Fix: `private_key = ec.generate_private_key(kms_public_key.curve)`},
		{Stack: "Go crypto/ecdh", Language: "go", Fix: `priv, err := kmsPub.Curve().GenerateKey(rand.Reader)`},
		{Stack: "openssl", Language: "shell", Fix: `openssl genpkey -paramfile kms.pem -out priv.pem  # or -algorithm EC -pkeyopt ec_paramgen_curve:P-384`},
	}
)

// deriveFindings are the known departures, by key.
var deriveFindings = map[string]deriveFinding{
	"hash-sha256":      {"SHA-256 of Z", "the tool writes SHA-256(Z), not {promised}: it hashes the shared secret", "write {promised} (KMS DeriveSharedSecret returns the raw Z; any KDF is the caller's and must be the agreed one)", fixRawZ},
	"hash-sha384":      {"SHA-384 of Z", "the tool writes SHA-384(Z), not {promised}: it hashes the shared secret", "write {promised}", fixRawZ},
	"hash-sha512":      {"SHA-512 of Z", "the tool writes SHA-512(Z), not {promised}: it hashes the shared secret", "write {promised}", fixRawZ},
	"hkdf-default":     {"HKDF-SHA256 of Z, empty salt and info", "the tool writes HKDF-SHA256(Z) with empty salt and info, not {promised} (LocalStack applied HKDF this way until late 2025, localstack/localstack#12129)", "write {promised}", fixRawZ},
	"x963-default":     {"X9.63 KDF (SHA-256) of Z", "the tool writes the X9.63 KDF (SHA-256, no shared info) of Z, not {promised}", "write {promised}", fixRawZ},
	"raw-z":            {"the raw Z", "the tool writes the raw shared secret Z where {promised} was promised: it applies no KDF", "apply {kdf} to Z before writing it", fixApplyKDF},
	"leading-zeros":    {"Z without its leading zero bytes", "the tool drops Z's leading zero bytes: Z is fixed length ({size} bytes on {curve}) but a big-integer round trip shortened it", "write Z at its full length, leading zeros kept", fixLeadingZeros},
	"sign-byte":        {"Z with a 0x00 sign byte prepended", "the tool prepends a zero byte to Z (a signed big-integer encoding such as Java BigInteger.toByteArray())", "write Z at its fixed length, no sign byte", fixLeadingZeros},
	"truncated":        {"a prefix of Z", "the tool writes only the first bytes of Z (e.g. WebCrypto deriveBits with a length shorter than the field)", "write all of Z: deriveBits with the field size (256, 384, 528 bits)", fixRawZ},
	"compressed-spki":  {"SubjectPublicKeyInfo with a compressed point", "the tool's public key is a SubjectPublicKeyInfo with a compressed point, which KMS DeriveSharedSecret refuses", "write the public key as DER SubjectPublicKeyInfo with the uncompressed point", fixSPKI},
	"raw-point":        {"a bare EC point instead of SubjectPublicKeyInfo", "the tool writes its public key as a bare EC point, which KMS DeriveSharedSecret refuses: it takes DER SubjectPublicKeyInfo", "write the public key as DER SubjectPublicKeyInfo", fixSPKI},
	"pem-not-der":      {"PEM where DER was agreed", "the tool writes its public key as PEM, but DER SubjectPublicKeyInfo was agreed (KMS DeriveSharedSecret takes DER)", "write DER SubjectPublicKeyInfo, or let the owner convert it (openssl pkey -pubin -in pub.pem -outform DER)", fixSPKI},
	"not-spki":         {"a public key KMS cannot read", "the tool's public key output is not an EC SubjectPublicKeyInfo", "write the public key as DER SubjectPublicKeyInfo", fixSPKI},
	"wrong-curve":      {"a key on another curve", "the tool generates its key on another curve than the KMS key's", "generate the tool's key pair on the KMS key's curve", fixCurve},
	"text-hex":         {"Z as hex text", "the tool writes {promised} as hex text, not the raw bytes", "write the raw bytes", nil},
	"text-base64":      {"Z as base64 text", "the tool writes {promised} as base64 text, not the raw bytes", "write the raw bytes", nil},
	"trailing-newline": {"Z followed by a newline", "the tool writes {promised} followed by a newline", "write the bytes alone, no newline", nil},
}

// candidate is a transformation of Z that a tool may have written.
type candidate struct {
	finding string
	of      func(z []byte, k kdf) []byte
}

var candidates = []candidate{
	{"hash-sha256", func(z []byte, _ kdf) []byte { s := sha256.Sum256(z); return s[:] }},
	{"hash-sha384", func(z []byte, _ kdf) []byte { s := sha512.Sum384(z); return s[:] }},
	{"hash-sha512", func(z []byte, _ kdf) []byte { s := sha512.Sum512(z); return s[:] }},
	{"hkdf-default", func(z []byte, _ kdf) []byte { b, _ := oracle.HKDF(crypto.SHA256, z, nil, nil, 32); return b }},
	{"x963-default", func(z []byte, _ kdf) []byte { b, _ := oracle.X963KDF(crypto.SHA256, z, nil, 32); return b }},
	{"raw-z", func(z []byte, k kdf) []byte {
		if k.name == "raw" {
			return nil
		}
		return z
	}},
	{"leading-zeros", func(z []byte, _ kdf) []byte {
		if t := bytes.TrimLeft(z, "\x00"); len(t) < len(z) {
			return t
		}
		return nil
	}},
	{"sign-byte", func(z []byte, _ kdf) []byte {
		if z[0]&0x80 != 0 {
			return append([]byte{0}, z...)
		}
		return nil
	}},
}

// matchSecret finds the known transformation of Z that gives secret, as
// written or decoded from hex or base64 text; it returns a deriveFindings
// key ("" for none), or two joined by "+" for text of a transformation.
func (d *deriveChecker) matchSecret(secret, z []byte) string {
	want, _ := d.kdf.apply(z)
	forms := []struct {
		b    []byte
		text string
	}{{secret, ""}}
	trimmed := bytes.TrimRight(secret, "\r\n")
	if len(trimmed) < len(secret) {
		forms = append(forms, struct {
			b    []byte
			text string
		}{trimmed, "trailing-newline"})
	}
	if h, err := hex.DecodeString(strings.TrimSpace(string(secret))); err == nil {
		forms = append(forms, struct {
			b    []byte
			text string
		}{h, "text-hex"})
	}
	if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(secret))); err == nil {
		forms = append(forms, struct {
			b    []byte
			text string
		}{b, "text-base64"})
	}
	for _, f := range forms {
		if f.text != "" && bytes.Equal(f.b, want) {
			return f.text
		}
		for _, c := range candidates {
			if v := c.of(z, d.kdf); v != nil && bytes.Equal(v, f.b) {
				return joinFinding(c.finding, f.text)
			}
		}
		if len(f.b) >= 8 && len(f.b) < len(z) && bytes.HasPrefix(z, f.b) && d.kdf.name == "raw" {
			return joinFinding("truncated", f.text)
		}
	}
	return ""
}

func joinFinding(a, text string) string {
	if text == "" {
		return a
	}
	return a + "+" + text
}

// explain sets the diagnosis, the fix and the fingerprint of finding
// (one key, or "key+text-form").
func (d *deriveChecker) explain(r *CaseResult, finding string, cv eccCurve, z []byte) {
	promised := "the raw shared secret Z"
	if d.kdf.name != "raw" {
		promised = d.kdf.spec + " of Z"
	}
	var causes, fixes []string
	var fp *Fingerprint
	for _, key := range strings.Split(finding, "+") {
		f, ok := deriveFindings[key]
		if !ok {
			continue
		}
		rep := strings.NewReplacer("{promised}", promised, "{size}", fmt.Sprint(cv.size), "{curve}", cv.name, "{kdf}", d.kdf.spec)
		causes = append(causes, rep.Replace(f.cause))
		fixes = append(fixes, rep.Replace(f.fix))
		if fp == nil && f.stacks != nil {
			fp = &Fingerprint{Observed: "the tool writes " + f.observed, Stacks: f.stacks}
		}
	}
	r.Diagnosis, r.Fix, r.Fingerprint = strings.Join(causes, "; "), strings.Join(fixes, "; "), fp
}
