// Package failclass names why a step failed. A failing openssl command's
// whole stderr, a KMS error code or a harness observation is turned into
// one named Class; expectations name classes, never loose substrings.
//
// The rules are data (Rules, KMSCodes) and are checked in order: the first
// rule whose pattern occurs in stderr wins. Each pattern was seen on a real
// binary (see the tests, which feed real stderr from every openssl line).
package failclass

import (
	"regexp"
	"strings"
)

// Class is the named reason a step failed.
type Class string

// The classes. Keep Doc in step.
const (
	None              Class = ""
	BadDecrypt        Class = "bad-decrypt"        // enc: wrong key or IV → padding check failed
	BadMagic          Class = "bad-magic"          // enc -d: no Salted__ header where one was expected
	InvalidCiphertext Class = "invalid-ciphertext" // RSA/OAEP decoding failed (openssl or KMS InvalidCiphertextException)
	UnknownCommand    Class = "unknown-command"    // e.g. `Invalid command 'kdf'` on 1.1.1
	UnknownOption     Class = "unknown-option"     // an option this line does not have
	ParameterRefused  Class = "parameter-refused"  // -pkeyopt or a parameter refused
	KeyUnreadable     Class = "key-unreadable"     // a key file that cannot be parsed (format, -keyform)
	DataTooLarge      Class = "data-too-large"     // plaintext past the RSA/OAEP limit
	Base64Invalid     Class = "base64-invalid"     // base64 input that does not decode
	FileNotFound      Class = "file-not-found"     // an input file that does not exist
	Mismatch          Class = "mismatch"           // every step worked but the bytes differ
	Timeout           Class = "timeout"            // the step or cell ran past its deadline
	Interrupted       Class = "interrupted"        // the run was cancelled (Ctrl-C)
	ToolNotRunnable   Class = "tool-not-runnable"  // not found / not executable (exit 126/127)
	IncorrectKey      Class = "incorrect-key"      // KMS IncorrectKeyException
	KeyDisabled       Class = "key-disabled"       // KMS DisabledException
	KeyInvalidState   Class = "key-invalid-state"  // KMS KMSInvalidStateException (pending deletion, ...)
	KeyNotFound       Class = "key-not-found"      // KMS NotFoundException
	InvalidKeyUsage   Class = "invalid-key-usage"  // KMS InvalidKeyUsageException
	Validation        Class = "validation"         // KMS ValidationException (bad input shape or size)
	KMSUnavailable    Class = "kms-unavailable"    // the KMS did not answer (connection refused, 5xx)
	KMSOther          Class = "kms-error"          // any other KMS error code
	NotRefused        Class = "not-refused"        // a step that must be refused succeeded
	Other             Class = "other"              // a failure no rule names: read the stderr
)

// Doc explains each class in one line for reports and `--help`.
var Doc = map[Class]string{
	BadDecrypt:        "openssl enc could not strip the padding: the key or IV differ (password, -md, -pbkdf2, -iter, salt)",
	BadMagic:          "openssl enc -d found no Salted__ header",
	InvalidCiphertext: "the RSA ciphertext does not decode under this key and padding (OAEP hash, MGF1, PKCS#1 v1.5)",
	UnknownCommand:    "this openssl line has no such command",
	UnknownOption:     "this openssl line has no such option",
	ParameterRefused:  "a parameter (-pkeyopt ...) was refused",
	KeyUnreadable:     "a key file could not be read (format, -keyform, PEM folding)",
	DataTooLarge:      "the plaintext is longer than the RSA padding allows",
	Base64Invalid:     "base64 input that does not decode",
	FileNotFound:      "an input file does not exist",
	Mismatch:          "every step succeeded but the bytes differ",
	Timeout:           "ran past its deadline",
	Interrupted:       "the run was interrupted before this finished",
	ToolNotRunnable:   "the program could not be started (not found or not executable)",
	IncorrectKey:      "KMS: the ciphertext was made under another key (IncorrectKeyException)",
	KeyDisabled:       "KMS: the key is disabled (DisabledException)",
	KeyInvalidState:   "KMS: the key's state forbids the call (KMSInvalidStateException)",
	KeyNotFound:       "KMS: no such key (NotFoundException)",
	InvalidKeyUsage:   "KMS: the key's usage or algorithm does not allow the call (InvalidKeyUsageException)",
	Validation:        "KMS: the request was refused as invalid (ValidationException)",
	KMSUnavailable:    "the KMS did not answer",
	KMSOther:          "another KMS error",
	NotRefused:        "a step that must be refused (a limit, a wrong key) succeeded",
	Other:             "a failure no rule names: read the stderr",
}

// All lists every class but None, in a fixed order.
func All() []Class {
	return []Class{BadDecrypt, BadMagic, InvalidCiphertext, UnknownCommand, UnknownOption, ParameterRefused,
		KeyUnreadable, DataTooLarge, Base64Invalid, FileNotFound, Mismatch, Timeout, Interrupted, ToolNotRunnable,
		IncorrectKey, KeyDisabled, KeyInvalidState, KeyNotFound, InvalidKeyUsage, Validation, KMSUnavailable, KMSOther, NotRefused, Other}
}

// Rule maps a stderr pattern to a class.
type Rule struct {
	Class   Class
	Pattern *regexp.Regexp
}

// Rules classify openssl's stderr, first match wins. Order matters where
// one stderr holds several patterns: 1.1.1's refusal of rsa_oaep_md before
// rsa_padding_mode says "Can't set parameter" and "rsa routines ...
// invalid padding mode", which is a refused parameter, not a bad
// ciphertext; "Public Key operation error" precedes both a too-long input
// and a bad ciphertext, so the specific rule comes first.
var Rules = []Rule{
	{BadMagic, regexp.MustCompile(`(?i)bad magic number`)},
	{BadDecrypt, regexp.MustCompile(`(?i)bad decrypt|BAD_DECRYPT|wrong final block length`)},
	{DataTooLarge, regexp.MustCompile(`(?i)data too large|too large for key size|data too long`)},
	{ParameterRefused, regexp.MustCompile(`(?i)can't set parameter|parameter setting error|illegal or unsupported padding mode|invalid padding mode|unknown padding type|pkey ctrl.*error|operation not supported for this keytype|unsupported parameter`)},
	{InvalidCiphertext, regexp.MustCompile(`(?i)oaep decoding error|pkcs decoding error|padding check failed|RSA_padding_check|data greater than mod len|block type is not 0[12]|null before block missing`)},
	{UnknownCommand, regexp.MustCompile(`(?i)invalid command '|is an invalid command|unknown command`)},
	{UnknownOption, regexp.MustCompile(`(?i)unrecognized flag|unknown option|multiple cipher or unknown options|use -help for summary|unknown cipher|extra (option|argument)|invalid option`)},
	{FileNotFound, regexp.MustCompile(`(?i)no such file or directory|can't open .* for reading|could not open file`)},
	{KeyUnreadable, regexp.MustCompile(`(?i)unable to load|could not read|could not find|no start line|bad base64 decode|expecting: |error reading .*key`)},
	{Base64Invalid, regexp.MustCompile(`(?i)error reading input file|invalid base64|base64 decode|bad base64`)},
}

// harnessLine tells the lines kmsconform's own oracle adds to openssl's
// stderr ("kmsconform: note: ...", "kmsconform: hint: ..."): they explain,
// they are not openssl's message, so they are neither classified nor shown
// as the error line.
func harnessLine(l string) bool {
	return strings.HasPrefix(l, "kmsconform: note:") || strings.HasPrefix(l, "kmsconform: hint:")
}

// opensslText is stderr without the harness's note and hint lines.
func opensslText(stderr string) string {
	if !strings.Contains(stderr, "kmsconform: ") {
		return stderr
	}
	var keep []string
	for _, l := range strings.Split(stderr, "\n") {
		if !harnessLine(strings.TrimSpace(l)) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// KMSCodes maps AWS KMS error codes to classes.
var KMSCodes = map[string]Class{
	"InvalidCiphertextException": InvalidCiphertext,
	"IncorrectKeyException":      IncorrectKey,
	"DisabledException":          KeyDisabled,
	"KMSInvalidStateException":   KeyInvalidState,
	"NotFoundException":          KeyNotFound,
	"InvalidKeyUsageException":   InvalidKeyUsage,
	"ValidationException":        Validation,
	"KMSInternalException":       KMSUnavailable,
	"DependencyTimeoutException": KMSUnavailable,
}

// Stderr classifies a failed command from its exit code and its whole
// stderr. Exit 126 and 127 (the shell's "not executable" and "not found")
// are ToolNotRunnable; otherwise the first matching Rule wins, else Other.
func Stderr(exitCode int, stderr string) Class {
	if exitCode == 126 || exitCode == 127 {
		if strings.Contains(stderr, "not found") || strings.Contains(stderr, "ermission denied") || strings.Contains(stderr, "o such file") || stderr == "" {
			return ToolNotRunnable
		}
	}
	text := opensslText(stderr)
	for _, r := range Rules {
		if r.Pattern.MatchString(text) {
			return r.Class
		}
	}
	return Other
}

// KMS classifies a KMS error code ("InvalidCiphertextException").
func KMS(code string) Class {
	if c, ok := KMSCodes[code]; ok {
		return c
	}
	return KMSOther
}

// ErrorLine picks the line of stderr that says what went wrong: the first
// line naming an error, else the first non-empty line that is not one of
// the warnings openssl prints on success too (3.x's deprecated key
// derivation, short hex keys) nor a line the oracle adds (note, hint).
func ErrorLine(stderr string) string {
	var first string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || harnessLine(l) || noise(l) {
			continue
		}
		if first == "" {
			first = l
		}
		ll := strings.ToLower(l)
		for _, w := range errorWords {
			if strings.Contains(ll, w) {
				return l
			}
		}
	}
	return first
}

// errorWords mark a line that states a failure.
var errorWords = []string{"error", "bad ", "unable", "invalid", "unrecognized", "unknown", "can't", "could not", "no such", "not found", "too large", "too long"}

// noise is a warning line openssl prints whether or not the command works.
func noise(l string) bool {
	return strings.Contains(l, "deprecated") || strings.HasPrefix(l, "*** WARNING") ||
		strings.HasPrefix(l, "Using -iter or -pbkdf2 would be better") || strings.HasPrefix(l, "hex string is too short")
}
