package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// HTML writes the report as one self-contained page: inline CSS, no
// scripts, no external fonts or images; every grid position is a
// <details> element opening to its cells' steps, stderr and hex diff.
func HTML(w io.Writer, r *flows.Report) error {
	data := struct {
		R          *flows.Report
		Started    string
		Took       string
		Unexpected int
		Grids      []flowGrid
	}{r, r.Started.UTC().Format(time.RFC3339), time.Duration(r.Duration).Round(time.Millisecond).String(), r.Unexpected(), grids(r)}
	if err := page.Execute(w, data); err != nil {
		return fmt.Errorf("render: rendering report.html: %w", err)
	}
	return nil
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdictClass": verdictClass,
	"verdictWord":  verdictWord,
	"stepLine":     stepLine,
	"join":         strings.Join,
	"ms":           func(d flows.Duration) string { return time.Duration(d).Round(time.Millisecond).String() },
	"tally":        func(g flowGrid, v string) int { return g.Tally[flows.Verdict(v)] },
}).Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kmsconform report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{margin:0 0 .5rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}
.grid td{min-width:9rem}
.pass{background:#dafbe1}.xfail{background:#ddf4ff}.unexpected{background:#ffebe9;font-weight:600}.na{background:#eaeef2;color:#57606a}.empty{background:#fff;color:#8c959f}
.legend span{display:inline-block;padding:.15rem .5rem;margin-right:.4rem;border:1px solid #d0d7de}
details{margin:.15rem 0}summary{cursor:pointer}
details .body{font-weight:400;background:#fff;border:1px solid #d0d7de;padding:.4rem;margin:.3rem 0;max-width:60rem}
pre{white-space:pre-wrap;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem;margin:.2rem 0;background:#f6f8fa;padding:.3rem}
.muted{color:#57606a}
</style>
</head>
<body>
<h1>kmsconform report</h1>
<p>Started {{.Started}}, took {{.Took}}. KMS endpoint: <strong id="kms-endpoint">{{.R.KMS}}</strong>.{{if .R.Shard}} Shard {{.R.Shard}}.{{end}}
{{len .R.Cells}} cells, <strong>{{.Unexpected}} unexpected</strong>.</p>
<table id="engines"><thead><tr><th>Engine</th><th>Version</th><th>Profile</th></tr></thead><tbody>
{{range .R.Engines}}<tr><td>{{.Name}}</td><td>{{.Version}}</td><td>{{.Profile}}</td></tr>
{{end}}</tbody></table>
<p class="legend"><span class="pass">expected pass</span><span class="xfail">expected failure</span><span class="unexpected">unexpected result</span><span class="na">not applicable</span></p>
{{range $g := .Grids}}
<h2 id="flow-{{$g.Flow}}">Flow {{$g.Flow}}: {{$g.Title}}</h2>
<p class="muted">{{if $g.Seed}}Seed {{$g.Seed}}. {{end}}{{tally $g "expected-pass"}} expected pass, {{tally $g "expected-fail"}} expected failure, {{tally $g "unexpected"}} unexpected, {{tally $g "n/a"}} not applicable.</p>
<table class="grid" data-flow="{{$g.Flow}}">
<thead><tr><th>producer \ consumer</th>{{range $g.Consumers}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range $i, $row := $g.Rows}}<tr><th>{{index $g.Producers $i}}</th>{{range $row}}<td class="{{.Class}}">{{if .Cells}}<details><summary>{{.Label}}</summary>
{{range .Cells}}<div class="body cell {{verdictClass .Verdict}}" id="cell-{{.ID}}">
<strong>{{.Case}}</strong> — {{verdictWord .Verdict}} ({{ms .Duration}})<br>
expected {{.Expected.Outcome}}{{if .Expected.Reasons}} ({{join .Expected.Reasons " or "}}){{end}}{{if .Expected.Why}}: {{.Expected.Why}}{{end}}<br>
actual {{.Actual.Outcome}}{{if .Actual.Reason}} ({{.Actual.Reason}}){{end}}{{if .Actual.FixOutcome}}; documented fix: {{.Actual.FixOutcome}}{{if .Actual.FixReason}} ({{.Actual.FixReason}}){{end}}{{end}}
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{range .Steps}}<pre>{{stepLine .}}</pre>{{if .Stderr}}<pre class="stderr">stderr: {{.Stderr}}</pre>{{end}}{{if .Error}}<pre class="error">error: {{.Error}}</pre>{{end}}{{end}}
{{if .Diff}}<pre class="diff">{{.Diff}}</pre>{{end}}
</div>{{end}}
</details>{{else}}—{{end}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{end}}
</body>
</html>
`
