package partner

import (
	"fmt"

	"github.com/kmsconform/kmsconform/doctor"
)

// Fingerprint names the stacks whose defaults behave the way the tool
// did. It is evidence ("consistent with"), never a claim about what the
// tool is written in.
type Fingerprint struct {
	// Observed is the behaviour measured, e.g. "OAEP, label hash sha256,
	// MGF1 sha1".
	Observed string `json:"observed"`
	// Stacks are the candidates, each with the fix in its own language.
	Stacks []StackFix `json:"stacks"`
}

// StackFix is one candidate stack and the line that fixes it.
type StackFix struct {
	// Stack names the library and API, e.g. "Java SunJCE".
	Stack string `json:"stack"`
	// Call is the call whose default gives the observed behaviour.
	Call string `json:"call"`
	// Language is the language of Fix (java, javascript, python, go,
	// csharp, shell).
	Language string `json:"language"`
	// Fix is the corrected line in that language.
	Fix string `json:"fix"`
	// Source is where the default is documented or was reported.
	Source string `json:"source,omitempty"`
}

// Correct calls, one per stack and KMS algorithm: the fix lines.
var oaepFix = map[string]map[string]StackFix{
	doctor.AlgOAEPSHA256: {
		"java":   {Stack: "Java (SunJCE or BouncyCastle)", Language: "java", Fix: `cipher.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));`},
		"node":   {Stack: "Node crypto", Language: "javascript", Fix: `crypto.publicEncrypt({ key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data)`},
		"web":    {Stack: "WebCrypto", Language: "javascript", Fix: `await crypto.subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt'])`},
		"pyca":   {Stack: "Python cryptography (pyca)", Language: "python", Fix: `pub.encrypt(data, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None))`},
		"go":     {Stack: "Go crypto/rsa", Language: "go", Fix: `ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, pub, data, nil)`},
		"dotnet": {Stack: ".NET System.Security.Cryptography", Language: "csharp", Fix: `byte[] ct = rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA256);`},
		"shell":  {Stack: "openssl", Language: "shell", Fix: `openssl pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -in in.bin -out out.bin`},
	},
	doctor.AlgOAEPSHA1: {
		"java":   {Stack: "Java (SunJCE or BouncyCastle)", Language: "java", Fix: `cipher.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));`},
		"node":   {Stack: "Node crypto", Language: "javascript", Fix: `crypto.publicEncrypt({ key: pem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, data)`},
		"web":    {Stack: "WebCrypto", Language: "javascript", Fix: `await crypto.subtle.importKey('spki', der, { name: 'RSA-OAEP', hash: 'SHA-1' }, false, ['encrypt'])`},
		"pyca":   {Stack: "Python cryptography (pyca)", Language: "python", Fix: `pub.encrypt(data, padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))`},
		"go":     {Stack: "Go crypto/rsa", Language: "go", Fix: `ct, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, pub, data, nil)`},
		"dotnet": {Stack: ".NET System.Security.Cryptography", Language: "csharp", Fix: `byte[] ct = rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA1);`},
		"shell":  {Stack: "openssl", Language: "shell", Fix: `openssl pkeyutl -encrypt -pubin -inkey pub.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -in in.bin -out out.bin`},
	},
}

// rsaBehaviour is a stack's call and the padding it produces.
type rsaBehaviour struct {
	scheme, label, mgf1 string // scheme "OAEP" or "PKCS1v15"
	stack, call, source string
}

// rsaStacks lists the calls whose defaults give each padding
// (field-notes.md, "Partner stacks: RSA OAEP defaults").
var rsaStacks = []rsaBehaviour{
	{"OAEP", "sha256", "sha1", "java", `Java SunJCE Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding") (MGF1 defaults to SHA-1)`, "pyca/cryptography#1663, palantir/encrypted-config-value#58"},
	{"OAEP", "sha256", "sha1", "shell", "openssl pkeyutl -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha1", ""},
	{"OAEP", "sha256", "sha1", "pyca", "padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA256(), label=None)", ""},
	{"OAEP", "sha1", "sha1", "node", "crypto.publicEncrypt({ key, padding: RSA_PKCS1_OAEP_PADDING }) without oaepHash (defaults to 'sha1')", "rzcoder/node-rsa#229"},
	{"OAEP", "sha1", "sha1", "shell", "openssl rsautl -encrypt -oaep (SHA-1 only), or pkeyutl rsa_padding_mode:oaep without rsa_oaep_md", ""},
	{"OAEP", "sha1", "sha1", "java", `Java Cipher.getInstance("RSA/ECB/OAEPPadding") or "RSA/ECB/OAEPWithSHA-1AndMGF1Padding"`, ""},
	{"OAEP", "sha1", "sha1", "web", `WebCrypto importKey(..., { name: "RSA-OAEP", hash: "SHA-1" })`, ""},
	{"OAEP", "sha1", "sha1", "pyca", "padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None)", ""},
	{"OAEP", "sha1", "sha1", "go", "rsa.EncryptOAEP(sha1.New(), ...)", ""},
	{"OAEP", "sha1", "sha1", "dotnet", "rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA1)", ""},
	{"OAEP", "sha256", "sha256", "java", `Java BouncyCastle Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding", "BC") (MGF1 SHA-256)`, "bcgit/bc-java#1033"},
	{"OAEP", "sha256", "sha256", "node", "crypto.publicEncrypt({ ..., oaepHash: 'sha256' })", ""},
	{"OAEP", "sha256", "sha256", "web", `WebCrypto importKey(..., { name: "RSA-OAEP", hash: "SHA-256" })`, ""},
	{"OAEP", "sha256", "sha256", "pyca", "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)", ""},
	{"OAEP", "sha256", "sha256", "go", "rsa.EncryptOAEP(sha256.New(), ...)", ""},
	{"OAEP", "sha256", "sha256", "dotnet", "rsa.Encrypt(data, RSAEncryptionPadding.OaepSHA256)", ""},
	{"OAEP", "sha256", "sha256", "shell", "openssl pkeyutl -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256", ""},
	{"OAEP", "sha1", "sha256", "pyca", "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA1(), label=None)", ""},
	{"OAEP", "sha1", "sha256", "shell", "openssl pkeyutl -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha256", ""},
	{"PKCS1v15", "", "", "shell", "openssl pkeyutl -encrypt without -pkeyopt rsa_padding_mode:oaep (3.x ignores rsa_oaep_md then), or rsautl without -oaep", ""},
	{"PKCS1v15", "", "", "java", `Java Cipher.getInstance("RSA") or "RSA/ECB/PKCS1Padding"`, ""},
	{"PKCS1v15", "", "", "node", "crypto.publicEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING })", ""},
	{"PKCS1v15", "", "", "pyca", "padding.PKCS1v15()", ""},
	{"PKCS1v15", "", "", "go", "rsa.EncryptPKCS1v15(...)", ""},
	{"PKCS1v15", "", "", "dotnet", "rsa.Encrypt(data, RSAEncryptionPadding.Pkcs1)", ""},
}

// fingerprintRSA lists the stacks consistent with how an RSA ciphertext
// was padded, each with the line that makes it what want promises.
func fingerprintRSA(f *doctor.RSAFinding, want string) *Fingerprint {
	if f == nil {
		return nil
	}
	fp := &Fingerprint{Observed: "PKCS#1 v1.5 padding"}
	if f.Scheme == "OAEP" {
		fp.Observed = fmt.Sprintf("OAEP, label hash %s, MGF1 %s", f.LabelHash, f.MGF1Hash)
	}
	fixes := oaepFix[want]
	for _, b := range rsaStacks {
		if b.scheme != f.Scheme || (f.Scheme == "OAEP" && (b.label != f.LabelHash || b.mgf1 != f.MGF1Hash)) {
			continue
		}
		sf := fixes[b.stack]
		sf.Call, sf.Source = b.call, b.source
		fp.Stacks = append(fp.Stacks, sf)
	}
	return fp
}
