package render

import (
	"strings"

	"github.com/kmsconform/kmsconform/flows"
)

// ServeEndpoint is where `kmsconform kms serve` listens by default: the
// endpoint replayed aws lines use when the run's KMS was the in-process
// fake, which is gone with the run.
const ServeEndpoint = "http://127.0.0.1:4566"

// kmsTarget is the KMS a run used, as far as the report tells it.
type kmsTarget struct {
	// Endpoint and Region are what replayed aws lines name.
	Endpoint, Region string
	// InProcess is true when the run used the in-process fake: Endpoint is
	// then ServeEndpoint, not the run's (closed) listener.
	InProcess bool
	// RunEndpoint is the URL the run talked to ("" for AWS itself).
	RunEndpoint string
	// Server is the KMS's Server header, when the report has it.
	Server string
}

// targetOf is the KMS of r: Report.KMSEndpoint and KMSRegion when the run
// recorded them, else what its label says ("kmsconform in-process fake
// (URL); server: S" or "URL; server: S", as older reports have it).
func targetOf(r *flows.Report) kmsTarget {
	label, server, _ := strings.Cut(r.KMS, "; server: ")
	label = strings.TrimSpace(label)
	t := kmsTarget{Region: r.KMSRegion, Server: r.KMSServer}
	if t.Region == "" {
		t.Region = flows.DefaultRegion
	}
	if t.Server == "" {
		t.Server = server
	}
	fromLabel := ""
	if i := strings.Index(label, "http"); i >= 0 {
		fromLabel = strings.TrimRight(strings.Fields(label[i:])[0], ")")
	}
	switch {
	case strings.Contains(label, "in-process"):
		t.InProcess, t.Endpoint, t.RunEndpoint = true, ServeEndpoint, r.KMSEndpoint
		if t.RunEndpoint == "" {
			t.RunEndpoint = fromLabel
		}
	case r.KMSEndpoint != "":
		t.Endpoint, t.RunEndpoint = r.KMSEndpoint, r.KMSEndpoint
	case fromLabel != "" && strings.HasPrefix(label, "http"):
		t.Endpoint, t.RunEndpoint = fromLabel, fromLabel
	}
	return t
}

// replayer turns the recorded commands of a report into lines a person can
// paste: aws lines name the KMS endpoint and region, openssl lines the
// engine's binary (a container image, a host path, the oracle's profile).
type replayer struct {
	kms     kmsTarget
	awsFrom string
	awsTo   string
	prefix  map[string]string
}

// newReplayer prepares the rewrites of r's commands.
func newReplayer(r *flows.Report) *replayer {
	t := targetOf(r)
	rp := &replayer{kms: t, awsFrom: "aws kms ", prefix: map[string]string{}}
	to := "aws "
	if t.Endpoint != "" {
		to += "--endpoint-url " + t.Endpoint + " "
	}
	rp.awsTo = to + "--region " + t.Region + " kms "
	for _, e := range r.Engines {
		if p := enginePrefix(e); p != "" {
			rp.prefix[e.Name] = p
		}
	}
	return rp
}

// enginePrefix is the command that stands for "openssl" in e's recorded
// lines, or "" when "openssl" (or the recorded oracle line) is right as it is.
func enginePrefix(e flows.EngineInfo) string {
	switch {
	case strings.HasPrefix(e.Name, "host:"):
		return flows.ShellQuote(strings.TrimPrefix(e.Name, "host:"))
	case e.Image != "" || strings.HasPrefix(e.Name, "openssl-"):
		image := e.Image
		if image == "" {
			image = e.ImageID
		}
		if image == "" {
			image = "kmsconform/openssl:" + strings.TrimPrefix(e.Name, "openssl-")
		}
		return `docker run --rm -i -v "$PWD:$PWD" -w "$PWD" ` + image + " openssl"
	}
	return ""
}

// line is s's command as it can be pasted.
func (rp *replayer) line(s flows.Step) string {
	cmd := s.Command
	if p, ok := rp.prefix[s.Engine]; ok && (s.Role == flows.Producer || s.Role == flows.Consumer) {
		if rest, ok := strings.CutPrefix(cmd, "openssl "); ok {
			cmd = p + " " + rest
		}
	}
	if strings.Contains(cmd, rp.awsFrom) {
		cmd = strings.ReplaceAll(cmd, rp.awsFrom, rp.awsTo)
	}
	return cmd
}

// note says how to replay the aws lines against this report's KMS.
func (rp *replayer) note() string {
	t := rp.kms
	switch {
	case t.InProcess:
		run := "The in-process KMS fake"
		if t.RunEndpoint != "" {
			run += " at " + t.RunEndpoint
		}
		return run + " ran inside kmsconform and is gone with the run. To replay the aws lines, start one with `kmsconform kms serve` (it listens on " +
			ServeEndpoint + ") and export AWS_ACCESS_KEY_ID=kmsconformlocal AWS_SECRET_ACCESS_KEY=kmsconformlocal; key ids are the run's: run the cell's create-key lines first and use the ids they print."
	case t.Endpoint == "":
		return "The aws lines talk to AWS itself in region " + t.Region + " with your usual credentials."
	}
	return "The aws lines name the run's endpoint " + t.Endpoint + " and region " + t.Region + "."
}
