package kmsfake

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

func TestSigV4Verify(t *testing.T) {
	dir := t.TempDir()
	creds := writeFile(t, dir, "credentials", []byte("[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n\n[team]\naws_access_key_id=111122223333\naws_secret_access_key=teamsecret\n"))
	e := newEnv(t, Options{SigV4: "verify", CredentialsFile: creds})
	good := newClient(e.hs.URL, "us-east-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	md, err := good.CreateKey(ctx(t), &kms.CreateKeyInput{Description: aws.String("signed")})
	if err != nil {
		t.Fatalf("correctly signed request: %v", err)
	}
	if _, err := good.Encrypt(ctx(t), &kms.EncryptInput{KeyId: md.KeyMetadata.KeyId, Plaintext: []byte("x"), EncryptionContext: map[string]string{"a b": "c  d"}}); err != nil {
		t.Fatalf("correctly signed Encrypt: %v", err)
	}
	team := newClient(e.hs.URL, "eu-central-1", "111122223333", "teamsecret")
	tmd, err := team.CreateKey(ctx(t), &kms.CreateKeyInput{})
	if err != nil || *tmd.KeyMetadata.Arn != "arn:aws:kms:eu-central-1:111122223333:key/"+*tmd.KeyMetadata.KeyId {
		t.Fatalf("12-digit access key picks the account: %v", err)
	}
	bad := newClient(e.hs.URL, "us-east-1", "AKIDEXAMPLE", "wrong-secret")
	_, err = bad.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyMetadata.KeyId})
	wantCode(t, err, codeSigMismatch)
	unknown := newClient(e.hs.URL, "us-east-1", "AKIDUNKNOWN", "x")
	_, err = unknown.DescribeKey(ctx(t), &kms.DescribeKeyInput{KeyId: md.KeyMetadata.KeyId})
	wantCode(t, err, codeUnrecognized)
	if errMessage(err) != "The security token included in the request is invalid." {
		t.Fatalf("message %q", errMessage(err))
	}
	status, hdr, _ := rawCall(t, e.srv, "TrentService.ListKeys", "{}")
	if status != 400 || hdr != codeMissingAuth {
		t.Fatalf("unsigned request: %d %s", status, hdr)
	}
	if _, err := New(Options{SigV4: "verify"}); err == nil {
		t.Fatal("verify without a credentials file was accepted")
	}
	if _, err := New(Options{SigV4: "maybe"}); err == nil {
		t.Fatal("SigV4 mode maybe was accepted")
	}
}
