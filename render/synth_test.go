package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/failclass"
	"github.com/kmsconform/kmsconform/flows"
)

// matrixEngines are the engines of the full matrix (6 engines × 9 flows).
var matrixEngines = []string{"host", "oracle", "openssl-1.1.1", "openssl-3.0", "openssl-3.5", "openssl-4.0"}

// fullMatrix is a synthetic report of the full matrix: the real plan of
// every registered flow over matrixEngines, each cell with the steps a real
// cell records (producer, KMS, consumer, harness), verdicts from the cases'
// expectations. When broken names an engine, its consumer cells of flows 3
// and 4 fail the way a broken openssl would ("bad decrypt"), and so do a
// few KMS cells when it is the producer.
func fullMatrix(broken string) *flows.Report {
	planned := flows.Plan(flows.All(), matrixEngines)
	r := &flows.Report{
		Started:  time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),
		Duration: flows.Duration(41 * time.Second),
		KMS:      "kmsconform in-process fake (http://127.0.0.1:40529); server: kmsconform-kmsfake/devel",
		Tool:     "kmsconform devel (vcs 3571ceb)",
		Planned:  len(planned),
	}
	for _, e := range matrixEngines {
		info := flows.EngineInfo{Name: e, Version: "OpenSSL 3.0.19 27 Jan 2026", Profile: "3.0",
			SHA256: "5b1a7e0c9d3f2a41b6e8c7d9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3"}
		if v, ok := strings.CutPrefix(e, "openssl-"); ok {
			tag := map[string]string{"1.1.1": "1.1.1w", "3.0": "3.0.20", "3.5": "3.5.9", "4.0": "4.0.3"}[v]
			info.Version, info.Profile = "OpenSSL "+tag+" 11 Feb 2026", v
			info.Image, info.ImageID = "kmsconform/openssl:"+tag, "sha256:8f039c5e9866aa01d2b3c4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5"
			info.VersionAll = "OpenSSL " + tag + " 11 Feb 2026\nbuilt on: reproducible build, date unspecified\nplatform: debian-amd64\noptions:  bn(64,64)\nOPENSSLDIR: \"/usr/lib/ssl\""
		}
		if e == "oracle" {
			info.Version, info.SHA256 = "kmsconform oracle --compat 3.0 (OpenSSL 3.x (3.0 to 3.6))", ""
		}
		r.Engines = append(r.Engines, info)
	}
	r.Engines = append(r.Engines, flows.EngineInfo{Name: "oracle@1.0.2", Version: "kmsconform oracle --compat 1.0.2 (OpenSSL 1.0.2 stand-in)", Profile: "1.0.2", StandIn: true,
		Warning: "stand-in: no real 1.0.2 binary ran"})
	for i, p := range planned {
		c := flows.Cell{ID: p.ID(), Flow: p.Flow.ID, FlowTitle: p.Flow.Title, Case: p.Case.Name, Params: p.Case.Params,
			Producer: p.Producer, Consumer: p.Consumer, Expected: p.Case.Expect, Duration: flows.Duration(time.Duration(180+i%400) * time.Millisecond)}
		if len(p.Flow.Seeds) > 0 {
			c.Seed = p.Flow.Seeds[0]
		}
		c.StandIn = strings.Contains(p.Producer, "@") || strings.Contains(p.Consumer, "@")
		c.Steps = synthSteps(p.Producer, p.Consumer, false)
		c.Actual.Outcome = c.Expected.Outcome
		switch c.Expected.Outcome {
		case flows.Pass:
			c.Verdict = flows.ExpectedPass
		case flows.Fail:
			c.Verdict = flows.ExpectedFail
			c.Actual.Reason, c.Actual.Class, c.Actual.FixOutcome = "bad decrypt", failclass.BadDecrypt, flows.Pass
			c.Steps = append(c.Steps, synthSteps(p.Producer, p.Consumer, true)...)
		default:
			c.Verdict, c.Steps = flows.Skipped, nil
		}
		if broken != "" && c.Verdict != flows.Skipped && ((p.Consumer == broken && (p.Flow.ID == 3 || p.Flow.ID == 4)) || (p.Producer == broken && p.Flow.ID == 2 && i%3 == 0)) {
			breakCell(&c)
		}
		r.Cells = append(r.Cells, c)
	}
	return r
}

// breakCell makes c fail the way a broken openssl does.
func breakCell(c *flows.Cell) {
	c.Verdict = flows.Unexpected
	c.Actual = flows.Actual{Outcome: flows.Fail, Reason: "bad decrypt", Class: failclass.BadDecrypt}
	c.Message = fmt.Sprintf("expected %s, but the consumer %s failed: bad decrypt", c.Expected.Outcome, c.Consumer)
	c.Work = "work/" + strings.NewReplacer("/", "_", ">", "_to_").Replace(c.ID)
	c.Diagnosis = "DATA.enc was encrypted with -aes-256-cbc -md md5 (the legacy EVP_BytesToKey default of OpenSSL 1.0.2), but the consumer derives the key with -md sha256. Fix: give -md md5 on the consumer, or make the producer use -pbkdf2"
	steps := synthSteps(c.Producer, c.Consumer, false)
	last := &steps[len(steps)-2]
	last.ExitCode, last.Error, last.Class = 1, "exit code 1", failclass.BadDecrypt
	last.Stderr = "bad decrypt\n40E7A1C1F67F0000:error:1C800064:Provider routines:ossl_cipher_unpadblock:bad decrypt:../providers/implementations/ciphers/ciphercommon.c:124:\n"
	c.Steps = steps[:len(steps)-1]
}

// synthSteps are the commands of a typical enc + KMS cell.
func synthSteps(producer, consumer string, fix bool) []flows.Step {
	pre := func(e string) string {
		switch {
		case e == "oracle":
			return "kmsconform openssl"
		case strings.HasPrefix(e, "oracle@"):
			return "kmsconform openssl --compat " + strings.TrimPrefix(e, "oracle@")
		}
		return "openssl"
	}
	phase, md := "run", ""
	if fix {
		phase, md = "fix", " -md md5"
	}
	d := flows.Duration(12 * time.Millisecond)
	return []flows.Step{
		{Role: flows.Producer, Engine: producer, Phase: phase, Command: pre(producer) + " rand -base64 32 > key.bin", Duration: d},
		{Role: flows.Harness, Phase: phase, Command: "head -c 1000 /dev/urandom > DATA", Duration: d},
		{Role: flows.Producer, Engine: producer, Phase: phase, Command: pre(producer) + " enc -aes-256-cbc -salt -in DATA -out DATA.enc -pass file:./key.bin", Duration: d,
			Stderr: "*** WARNING : deprecated key derivation used.\nUsing -iter or -pbkdf2 would be better."},
		{Role: flows.KMSRole, Phase: phase, Command: "aws kms encrypt --key-id 1900bc46-e440-4aed-9e78-14ad87aa9560 --plaintext fileb://key.bin --query CiphertextBlob --output text | base64 -d > key.bin.enc", Duration: d},
		{Role: flows.KMSRole, Phase: phase, Command: "aws kms decrypt --ciphertext-blob fileb://key.bin.enc --query Plaintext --output text | base64 -d > key.dec", Duration: d},
		{Role: flows.Consumer, Engine: consumer, Phase: phase, Command: pre(consumer) + " enc -d -aes-256-cbc" + md + " -in DATA.enc -out DATA_plaintext -pass file:./key.dec", Duration: d},
		{Role: flows.Harness, Phase: phase, Command: "cmp DATA DATA_plaintext", Duration: d},
	}
}
