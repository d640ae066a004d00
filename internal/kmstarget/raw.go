package kmstarget

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// RawResponse is an HTTP answer read whole.
type RawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map; a body that is not a JSON object gives
// an error that quotes it.
func (r *RawResponse) JSON() (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return nil, fmt.Errorf("kmstarget: response body is not a JSON object: %w: %q", err, r.Body)
	}
	return m, nil
}

// Raw sends body as a KMS awsJson1_1 request with the given X-Amz-Target
// (e.g. "TrentService.Encrypt"; empty omits the header), signed with
// SigV4 by the target's credentials, and returns the answer unparsed. It is
// for wire-level checks the SDK hides (status codes, missing fields,
// malformed bodies).
func (t *Target) Raw(ctx context.Context, amzTarget string, body []byte) (*RawResponse, error) {
	endpoint := t.Endpoint
	if endpoint == "" {
		endpoint = "https://kms." + t.Region + ".amazonaws.com"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if amzTarget != "" {
		req.Header.Set("X-Amz-Target", amzTarget)
	}
	creds, err := t.Config.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("kmstarget: credentials for a raw request: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "kms", t.Region, time.Now()); err != nil {
		return nil, fmt.Errorf("kmstarget: signing a raw request: %w", err)
	}
	resp, err := t.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return &RawResponse{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}
