package flows

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Merge joins the reports of the slices of one matrix (kmsconform run
// --shard I/N, or one CI job per openssl line) into one report. A cell ID
// may appear in only one slice, and an engine must report the same version
// in every slice: either would mean the slices are not of one run. Cells
// come out in flow, case, producer, consumer order; Started is the earliest
// start and Duration the span from it to the latest end. Planned cells add
// up, one interrupted slice makes the whole interrupted, and the KMS
// server, endpoint, region and tool are joined when the slices differ.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, fmt.Errorf("flows: merge: no reports")
	}
	out := &Report{}
	var end time.Time
	seen := map[string]int{}
	engines := map[string]int{}
	var kms, servers, endpoints, regions, tools []string
	add := func(list *[]string, v string) {
		if v != "" && !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	for i, r := range reports {
		if r == nil {
			return nil, fmt.Errorf("flows: merge: report %d is empty", i+1)
		}
		if out.Started.IsZero() || (!r.Started.IsZero() && r.Started.Before(out.Started)) {
			out.Started = r.Started
		}
		if e := r.Started.Add(time.Duration(r.Duration)); e.After(end) {
			end = e
		}
		for _, e := range r.Engines {
			j, ok := engines[e.Name]
			if !ok {
				engines[e.Name] = len(out.Engines)
				out.Engines = append(out.Engines, e)
				continue
			}
			if prev := out.Engines[j]; prev.Version != e.Version {
				return nil, fmt.Errorf("flows: merge: engine %s is %q in one report and %q in report %d: the slices come from different machines or images", e.Name, prev.Version, e.Version, i+1)
			}
		}
		add(&kms, r.KMS)
		add(&servers, r.KMSServer)
		add(&endpoints, r.KMSEndpoint)
		add(&regions, r.KMSRegion)
		add(&tools, r.Tool)
		out.Planned += r.Planned
		out.Interrupted = out.Interrupted || r.Interrupted
		for _, c := range r.Cells {
			if j, dup := seen[c.ID]; dup {
				return nil, fmt.Errorf("flows: merge: cell %s is in report %d and report %d: the slices overlap (use --shard I/N with the same N, or distinct producers)", c.ID, j, i+1)
			}
			seen[c.ID] = i + 1
			out.Cells = append(out.Cells, c)
		}
	}
	out.KMS = strings.Join(kms, ", ")
	out.KMSServer, out.KMSEndpoint = strings.Join(servers, ", "), strings.Join(endpoints, ", ")
	out.KMSRegion, out.Tool = strings.Join(regions, ", "), strings.Join(tools, ", ")
	if !end.IsZero() && !out.Started.IsZero() {
		out.Duration = Duration(end.Sub(out.Started))
	}
	// Each cell's case position, looked up once rather than in every comparison.
	pos := make(map[string]int, len(out.Cells))
	for i := range out.Cells {
		pos[out.Cells[i].ID] = caseIndex(&out.Cells[i])
	}
	sort.SliceStable(out.Cells, func(a, b int) bool {
		x, y := &out.Cells[a], &out.Cells[b]
		if x.Flow != y.Flow {
			return x.Flow < y.Flow
		}
		if cx, cy := pos[x.ID], pos[y.ID]; cx != cy {
			return cx < cy
		}
		if x.Producer != y.Producer {
			return x.Producer < y.Producer
		}
		if x.Consumer != y.Consumer {
			return x.Consumer < y.Consumer
		}
		return x.ID < y.ID
	})
	return out, nil
}

// caseIndex is the position of c's case in its flow's definition, so that
// merged reports list cases as the flow does.
func caseIndex(c *Cell) int {
	f, ok := Lookup(c.Flow)
	if !ok {
		return 1 << 30
	}
	for i := range f.Cases {
		if f.Cases[i].Name == c.Case {
			return i
		}
	}
	return 1 << 30
}
