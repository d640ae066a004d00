package kmsfake

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// SigV4 verification. The canonical request, string to sign and signature
// are computed by aws-sdk-go-v2's own signer (aws/signer/v4), never by this
// package: the received request is rebuilt with exactly the headers the
// client says it signed, re-signed with the SDK for the client's scope and
// X-Amz-Date, and the two signatures are compared in constant time. Around
// that sit the checks that make a captured request useless to replay or
// alter: the 15-minute window, the credential scope (service kms, a region,
// the X-Amz-Date's day, aws4_request), and host, x-amz-date and
// x-amz-target among the signed headers. The body is always hashed: a
// client-sent X-Amz-Content-Sha256 (e.g. UNSIGNED-PAYLOAD) is never trusted.

// SigV4Window is how far X-Amz-Date may be from the server's clock, either
// way, as AWS KMS allows (field-notes.md, SigV4; aws/aws-sdk-js#254).
const SigV4Window = 15 * time.Minute

const amzDateLayout = "20060102T150405Z"

// requiredSigned are the headers every accepted signature must cover: host
// and x-amz-date as AWS requires, x-amz-target so that a signature for one
// operation cannot be replayed as another.
var requiredSigned = []struct{ name, answer string }{
	{"host", "Sig.HostNotSigned"},
	{"x-amz-date", "Sig.DateNotSigned"},
	{"x-amz-target", "Sig.TargetNotSigned"},
}

// sigv4Auth is the parsed Authorization header.
type sigv4Auth struct {
	credential                                   string // the whole Credential= value
	accessKey, date, region, service, terminator string
	signedHeaders                                string
	signature                                    string
	scopeParts                                   int
}

// parseAuthorization splits an "AWS4-HMAC-SHA256 Credential=..,
// SignedHeaders=.., Signature=.." header; ok is false when a part is missing.
func parseAuthorization(h string) (*sigv4Auth, bool) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return nil, false
	}
	a := &sigv4Auth{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, false
		}
		switch k {
		case "Credential":
			a.credential = v
			f := strings.Split(v, "/")
			a.scopeParts = len(f)
			if len(f) == 5 {
				a.accessKey, a.date, a.region, a.service, a.terminator = f[0], f[1], f[2], f[3], f[4]
			}
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		}
	}
	if a.credential == "" || a.signature == "" || a.signedHeaders == "" {
		return nil, false
	}
	return a, true
}

// authenticate picks the request's region (from the credential scope) and
// account (a 12-digit access key id), and with SigV4 "verify" checks the
// request as AWS would.
func (s *Server) authenticate(c *call, r *http.Request, body []byte) *apiError {
	h := r.Header.Get("Authorization")
	a, ok := parseAuthorization(h)
	if ok && a.scopeParts == 5 {
		if regionRE.MatchString(a.region) {
			c.sc.region = a.region
		}
		if accountRE.MatchString(a.accessKey) {
			c.sc.account = a.accessKey
		}
	}
	if s.creds == nil {
		return nil
	}
	if h == "" {
		return answerErr("Sig.Missing")
	}
	if !ok {
		return answerErr("Sig.Incomplete", redactAuth(h))
	}
	return s.verify(a, h, r, body, time.Now())
}

// verify runs every SigV4 check on a parsed header, in a fixed order:
// scope shape, known key, X-Amz-Date present, scope values, window, signed
// headers, signature.
func (s *Server) verify(a *sigv4Auth, h string, r *http.Request, body []byte, now time.Time) *apiError {
	if a.scopeParts != 5 {
		return answerErr("Sig.CredentialParts", a.credential)
	}
	secret, known := s.creds[a.accessKey]
	if !known {
		return answerErr("Sig.UnknownKey")
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse(amzDateLayout, amzDate)
	if err != nil {
		return answerErr("Sig.NoDate", redactAuth(h))
	}
	switch {
	case a.terminator != "aws4_request":
		return answerErr("Sig.Terminator", a.terminator)
	case a.service != "kms":
		return answerErr("Sig.Service", "kms")
	case !regionRE.MatchString(a.region):
		return answerErr("Sig.Region", a.region)
	case a.date != amzDate[:8]:
		return answerErr("Sig.ScopeDate")
	}
	now = now.UTC()
	if signedAt.Before(now.Add(-SigV4Window)) {
		return answerErr("Sig.Expired",
			amzDate, now.Add(-SigV4Window).Format(amzDateLayout), now.Format(amzDateLayout))
	}
	if signedAt.After(now.Add(SigV4Window)) {
		return answerErr("Sig.NotYetCurrent",
			amzDate, now.Add(SigV4Window).Format(amzDateLayout), now.Format(amzDateLayout))
	}
	signed := strings.Split(a.signedHeaders, ";")
	for _, req := range requiredSigned {
		if !slices.Contains(signed, req.name) {
			return answerErr(req.answer)
		}
	}
	want, err := sdkSignature(r, body, signed, aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: secret}, a.region, signedAt)
	w, ok := parseAuthorization(want)
	if err != nil || !ok || w.signedHeaders != a.signedHeaders || w.credential != a.credential ||
		!hmac.Equal([]byte(w.signature), []byte(strings.ToLower(a.signature))) {
		return answerErr("Sig.Mismatch")
	}
	return nil
}

// sdkSigner is aws-sdk-go-v2's SigV4 signer; it is safe for concurrent use
// and caches derived signing keys.
var sdkSigner = v4.NewSigner()

// sdkSignature rebuilds r with only the headers named in signed, signs it
// with aws-sdk-go-v2's signer for service kms, region and signing time, and
// returns the Authorization header the SDK produced. The SDK signs every
// header present except a few it always skips (User-Agent, Expect, ...);
// a client that signed one of those cannot be reproduced and is refused.
func sdkSignature(r *http.Request, body []byte, signed []string, creds aws.Credentials, region string, at time.Time) (string, error) {
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	re := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	for _, name := range signed {
		switch name {
		case "host":
		case "content-length":
			re.ContentLength = r.ContentLength
		default:
			vals := r.Header.Values(name)
			if len(vals) == 0 {
				return "", fmt.Errorf("signed header %s is missing", name)
			}
			re.Header[http.CanonicalHeaderKey(name)] = vals
		}
	}
	sum := sha256.Sum256(body)
	err := sdkSigner.SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), "kms", region, at)
	return re.Header.Get("Authorization"), err
}

func redactAuth(h string) string {
	if i := strings.Index(h, "Signature="); i >= 0 {
		return h[:i] + "Signature=..."
	}
	return h
}

// loadCredentials reads an AWS shared-credentials INI file into a map of
// access key id to secret access key.
func loadCredentials(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
	}
	defer f.Close()
	creds := map[string]string{}
	var akid, secret string
	flush := func() {
		if akid != "" && secret != "" {
			creds[akid] = secret
		}
		akid, secret = "", ""
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			flush()
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			akid = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("credentials file %s has no profile with aws_access_key_id and aws_secret_access_key", path)
	}
	return creds, nil
}
