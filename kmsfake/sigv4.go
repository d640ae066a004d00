package kmsfake

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
)

// sigv4Auth is the parsed Authorization header.
type sigv4Auth struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

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
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return nil, false
			}
			a.accessKey, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	if a.accessKey == "" || a.signature == "" || len(a.signedHeaders) == 0 {
		return nil, false
	}
	return a, true
}

// authenticate picks the request's region (from the credential scope) and
// account (a 12-digit access key id), and with SigV4 "verify" checks the
// signature against the credentials file.
func (s *Server) authenticate(c *call, r *http.Request, body []byte) *apiError {
	h := r.Header.Get("Authorization")
	a, ok := parseAuthorization(h)
	if ok {
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
		return newErr(codeMissingAuth, "Missing Authentication Token")
	}
	if !ok {
		return newErr(codeIncomplete, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters with AWS4-HMAC-SHA256. Authorization=%s", redactAuth(h))
	}
	secret, known := s.creds[a.accessKey]
	if !known {
		return newErr(codeUnrecognized, "The security token included in the request is invalid.")
	}
	want := signatureFor(secret, a, r, body)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.signature))) {
		return newErr(codeSigMismatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

func redactAuth(h string) string {
	if i := strings.Index(h, "Signature="); i >= 0 {
		return h[:i] + "Signature=..."
	}
	return h
}

func hmacSHA256(k []byte, s string) []byte {
	m := hmac.New(sha256.New, k)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// signatureFor recomputes the SigV4 signature of r.
func signatureFor(secret string, a *sigv4Auth, r *http.Request, body []byte) string {
	var cr strings.Builder
	cr.WriteString(r.Method + "\n")
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	cr.WriteString(path + "\n")
	cr.WriteString(canonicalQuery(r.URL.Query()) + "\n")
	for _, name := range a.signedHeaders {
		cr.WriteString(name + ":" + headerValue(r, name) + "\n")
	}
	cr.WriteString("\n" + strings.Join(a.signedHeaders, ";") + "\n")
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		sum := sha256.Sum256(body)
		payload = hex.EncodeToString(sum[:])
	}
	cr.WriteString(payload)
	crSum := sha256.Sum256([]byte(cr.String()))
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		amzDate = r.Header.Get("Date")
	}
	scopeStr := a.date + "/" + a.region + "/" + a.service + "/aws4_request"
	sts := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scopeStr + "\n" + hex.EncodeToString(crSum[:])
	k := hmacSHA256([]byte("AWS4"+secret), a.date)
	k = hmacSHA256(k, a.region)
	k = hmacSHA256(k, a.service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, sts))
}

func headerValue(r *http.Request, name string) string {
	switch name {
	case "host":
		return r.Host
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v
		}
		return strconv.FormatInt(r.ContentLength, 10)
	}
	vals := r.Header.Values(name)
	if name == "transfer-encoding" && len(vals) == 0 {
		vals = r.TransferEncoding
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(out, ",")
}

func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, sigEscape(k)+"="+sigEscape(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

func sigEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
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
