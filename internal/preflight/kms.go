package preflight

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// KMSTimeout bounds the KMS check.
var KMSTimeout = 15 * time.Second

// KMSInfo is what the KMS check learnt about the endpoint.
type KMSInfo struct {
	// Server is the HTTP Server header of the answer ("not stated" when
	// absent: AWS sends none).
	Server string
	// Warning is set when the endpoint answered, but not quite like AWS KMS
	// (no JSON content type and no request id).
	Warning string
}

// authCodes are the error codes with which AWS (and KMS servers that
// check signatures) refuse the caller's credentials.
var authCodes = map[string]bool{
	"UnrecognizedClientException": true, "InvalidSignatureException": true, "IncompleteSignature": true,
	"IncompleteSignatureException": true, "MissingAuthenticationToken": true, "MissingAuthenticationTokenException": true,
	"AccessDeniedException": true, "ExpiredTokenException": true, "InvalidClientTokenId": true, "SignatureDoesNotMatch": true,
}

// KMS calls ListKeys (one key, one attempt) with c's credentials on the KMS
// at endpoint (a URL, or "" for the SDK's own resolution) and says whether
// a KMS answered: a closed port, a timeout, a server that is not a KMS, or
// credentials the KMS refuses are each an *Error naming the endpoint and
// what answered.
func KMS(ctx context.Context, c *kms.Client, endpoint string) (KMSInfo, error) {
	where := endpoint
	if where == "" {
		where = "the AWS KMS endpoint of your configuration"
	}
	ctx, cancel := context.WithTimeout(ctx, KMSTimeout)
	defer cancel()
	if err := dial(ctx, endpoint); err != nil {
		return KMSInfo{}, err
	}
	out, err := c.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(1)}, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
	if err == nil {
		info := KMSInfo{Server: "not stated"}
		if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
			if s := raw.Header.Get("Server"); s != "" {
				info.Server = s
			}
			ct := raw.Header.Get("Content-Type")
			if !strings.Contains(ct, "json") && raw.Header.Get("X-Amzn-Requestid") == "" {
				info.Warning = fmt.Sprintf("%s answered ListKeys with HTTP %d but not like AWS KMS (Content-Type %q, no x-amzn-RequestId): check that it is a KMS", where, raw.StatusCode, ct)
			}
		}
		return info, nil
	}
	return KMSInfo{}, kmsError(ctx, where, err)
}

// dial checks that something listens at endpoint's host and port before
// anything else (credentials are resolved before the SDK dials, so a
// closed port would otherwise hide behind a credentials error).
func dial(ctx context.Context, endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return &Error{Check: "kms", Msg: fmt.Sprintf("KMS endpoint %q is not an http:// or https:// URL", endpoint),
			Hint: "e.g. --kms-endpoint http://127.0.0.1:4566"}
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return kmsError(ctx, endpoint, err)
	}
	return conn.Close()
}

// kmsError explains a failed ListKeys.
func kmsError(ctx context.Context, where string, err error) error {
	e := &Error{Check: "kms", Err: err}
	var ae smithy.APIError
	var re *awshttp.ResponseError
	var oe *net.OpError
	var dnsErr *net.DNSError
	switch {
	case strings.Contains(err.Error(), "get credentials") || strings.Contains(err.Error(), "get identity"):
		e.Msg = fmt.Sprintf("no AWS credentials to sign requests to %s", where)
		e.Hint = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (any value for LocalStack or moto) or AWS_PROFILE; leave --kms-endpoint unset for the in-process fake"
	case errors.As(err, &ae) && authCodes[ae.ErrorCode()]:
		e.Msg = fmt.Sprintf("the KMS at %s refused the credentials (%s: %s)", where, ae.ErrorCode(), ae.ErrorMessage())
		e.Hint = "check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, AWS_REGION, and the endpoint's --sigv4 settings"
		e.Err = nil
	case errors.As(err, &ae) && strings.HasSuffix(ae.ErrorCode(), "Exception"):
		// A KMS that answered in its own words: it is there.
		e.Msg = fmt.Sprintf("the KMS at %s refused ListKeys (%s: %s)", where, ae.ErrorCode(), ae.ErrorMessage())
		e.Hint = "the pre-flight lists keys with the given credentials: allow kms:ListKeys, or check the endpoint"
		e.Err = nil
	case errors.As(err, &dnsErr):
		e.Msg = fmt.Sprintf("no KMS at %s: the host name does not resolve (%s)", where, dnsErr.Name)
		e.Hint = "check --kms-endpoint / AWS_ENDPOINT_URL"
		e.Err = nil
	case errors.As(err, &oe) && oe.Op == "dial":
		e.Msg = fmt.Sprintf("no KMS answers at %s: %v", where, oe.Err)
		e.Hint = "start the KMS (e.g. `kmsconform kms serve`), check --kms-endpoint / AWS_ENDPOINT_URL, or leave both unset for the in-process fake"
		e.Err = nil
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		e.Msg = fmt.Sprintf("no answer from %s within %s", where, KMSTimeout)
		e.Hint = "check that the endpoint is a KMS and reachable (proxy, firewall)"
		e.Err = nil
	case errors.As(err, &re) && re.HTTPStatusCode() != 0:
		e.Msg = fmt.Sprintf("%s answered, but not as AWS KMS: %s", where, describeResponse(re))
		e.Hint = "--kms-endpoint must be the base URL of a KMS (AWS, LocalStack, moto, `kmsconform kms serve`), e.g. http://127.0.0.1:4566"
		e.Err = nil
	default:
		e.Msg = fmt.Sprintf("the KMS at %s could not be asked", where)
		e.Hint = "check --kms-endpoint / AWS_ENDPOINT_URL and your AWS configuration"
	}
	return e
}

// describeResponse says what answered: status, Server and Content-Type.
func describeResponse(re *awshttp.ResponseError) string {
	s := fmt.Sprintf("HTTP %d", re.HTTPStatusCode())
	if re.Response != nil {
		if v := re.Response.Header.Get("Server"); v != "" {
			s += ", Server " + v
		}
		if v := re.Response.Header.Get("Content-Type"); v != "" {
			s += ", Content-Type " + v
		}
	}
	var de *smithy.DeserializationError
	if errors.As(re, &de) {
		s += " (the body is not KMS JSON)"
	}
	return s
}
