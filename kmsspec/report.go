package kmsspec

import (
	"fmt"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// Producer is the client named as every spec cell's producer.
const Producer = "aws-sdk-go-v2"

// Cell turns a result into the report model's cell: Flow and FlowTitle are
// the spec's topic, ID and Case its id, Producer the SDK and Consumer the
// target's name; every KMS call it made is a step.
func Cell(res Result, target string) flows.Cell {
	s := res.Spec
	n, title := TopicIndex(s.Topic)
	c := flows.Cell{
		ID: s.ID, Flow: n, FlowTitle: title, Case: s.ID, Producer: Producer, Consumer: target,
		Params:   []flows.Param{{Name: "title", Value: s.Title}, {Name: "aws", Value: s.AWS}, {Name: "source", Value: s.Source}},
		Expected: flows.Expectation{Outcome: flows.Pass, Why: s.AWS + " (source: " + s.Source + ")"},
		Duration: flows.Duration(res.Duration),
	}
	for _, call := range res.Calls {
		st := flows.Step{Role: flows.KMSRole, Phase: "run", Command: "kms:" + call.Op, Error: call.Error, Duration: flows.Duration(call.Duration)}
		if call.Code != "" {
			st.Class = errClassCode(call.Code)
		}
		c.Steps = append(c.Steps, st)
	}
	switch res.Status {
	case Passed:
		c.Actual = flows.Actual{Outcome: flows.Pass}
		c.Verdict = flows.ExpectedPass
	case Skipped:
		c.Expected = flows.Expectation{Outcome: flows.NotApplicable, Why: res.Message}
		c.Actual = flows.Actual{Outcome: flows.NotApplicable, Reason: res.Message}
		c.Verdict = flows.Skipped
	default:
		c.Actual = flows.Actual{Outcome: flows.Fail, Reason: res.Message, Class: res.Class}
		c.Verdict = flows.Unexpected
		c.Message = fmt.Sprintf("%s: %s", s.Title, res.Message)
	}
	return c
}

// Report builds the report of a run of specs against target (a name such
// as "moto" or the endpoint URL).
func Report(results []Result, target string, started time.Time) *flows.Report {
	rep := &flows.Report{Started: started, Duration: flows.Duration(time.Since(started)), KMS: target, Planned: len(results)}
	for _, r := range results {
		rep.Cells = append(rep.Cells, Cell(r, target))
	}
	return rep
}
