package partner

import (
	"html/template"
	"io"
)

// htmlReport is partner.html: self-contained (no script, inline style),
// every value escaped by html/template.
var htmlReport = template.Must(template.New("partner").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Partner tool check: {{if .Pass}}PASS{{else}}FAIL{{end}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}
code,pre{font:12px ui-monospace,monospace;background:#f4f4f4}pre{padding:.6em;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.pass{color:#17692c;font-weight:600}.fail{color:#b00020;font-weight:600}.allowed{color:#8a6100;font-weight:600}details{margin:.5em 0}
</style></head><body>
<h1>Partner tool check: <span class="{{if .Pass}}pass">PASS{{else}}fail">FAIL{{end}}</span></h1>
<ul>
<li>Mode: {{.Mode}}</li><li>Tool: <code>{{.Tool}}</code></li><li>Run in: <code>{{.Dir}}</code></li>
{{if .Algorithm}}<li>Promised algorithm: {{.Algorithm}}</li>{{end}}{{if .KDF}}<li>Promised secret: {{.KDF}}</li>{{end}}
<li>KMS: {{.Endpoint}}</li><li>Time: {{.TotalMS}} ms wall; {{.ToolMS}} ms in the tool, summed over its runs</li>
</ul>
{{with .Problem}}<h2>The tool could not be checked ({{.Class}})</h2>
<p>{{.Message}}.</p><p>Command: <code>{{.Command}}</code> (exit {{.ExitCode}})</p><p>Hint: {{.Hint}}</p>
{{if .Stderr}}<pre>{{.Stderr}}</pre>{{end}}{{end}}
{{with .SmokeFailure}}<h2>The first in-limit run failed</h2><p>{{.Message}}.</p><p>Command: <code>{{.Command}}</code> (exit {{.ExitCode}})</p>{{if .Stderr}}<pre>{{.Stderr}}</pre>{{end}}{{end}}
{{if .Diagnoses}}<h2>Diagnosis</h2><ul>{{range $i, $d := .Diagnoses}}<li>{{$d}}.<br>Fix: {{index $.Fixes $i}}.</li>{{end}}</ul>{{end}}
{{range .Fingerprints}}<h2>Consistent with: {{.Observed}}</h2>
<p>The behaviour matches these stacks' calls; it does not prove which one the tool uses.</p>
<table><tr><th>Stack</th><th>Call with this behaviour</th><th>Fix</th></tr>
{{range .Stacks}}<tr><td>{{.Stack}}</td><td><code>{{.Call}}</code></td><td>{{.Language}}: <code>{{.Fix}}</code>{{if .Source}}<br><small>source: {{.Source}}</small>{{end}}</td></tr>{{end}}
</table>{{end}}
{{if .Cases}}<h2>Cases</h2>
<table><tr><th>Case</th><th>Verdict</th><th>Class</th><th>Detail</th></tr>
{{range .Cases}}<tr><td>{{.Name}}</td><td>{{if .Pass}}<span class="pass">pass</span>{{else if .Allowance}}<span class="allowed">allowed: {{.Allowance}}</span>{{else}}<span class="fail">FAIL</span>{{end}}</td><td>{{.Class}}</td><td>{{.Detail}}
{{if not .Pass}}<details><summary>command, exit code, stderr, fix</summary>
<p>Command: <code>{{.Command}}</code> (exit {{.ExitCode}}, {{.DurationMS}} ms)</p>
{{if .Diagnosis}}<p>Diagnosis: {{.Diagnosis}}</p><p>Fix: {{.Fix}}</p>{{end}}
{{with .Fingerprint}}<p>Fingerprint: {{.Observed}}</p>{{end}}
{{range .Calls}}<p>KMS: <code>{{.}}</code></p>{{end}}
{{if .InputHex}}<p>Expected: <code>{{.InputHex}}</code><br>Got: <code>{{.OutputHex}}</code></p>{{end}}
{{if .Stderr}}<pre>{{.Stderr}}</pre>{{end}}
</details>{{end}}</td></tr>{{end}}
</table>{{end}}
</body></html>
`))

func writeHTML(w io.Writer, r *Result) error { return htmlReport.Execute(w, r) }
