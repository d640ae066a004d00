package render

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/kmsconform/kmsconform/flows"
)

// pageData is what the report.html template reads.
type pageData struct {
	R           *flows.Report
	Started     string
	Took        string
	Status      string
	StatusClass string
	Counts      []countItem
	KMS         kmsTarget
	ReplayNote  string
	Grids       []*flowGrid
	Unexpected  []*flows.Cell
	Allowed     []*flows.Cell
	Interrupted int
	StandIn     map[string]bool
	Legend      []countItem
	Blame       []blame
}

// HTML writes the report as one self-contained page (inline CSS and a
// small inline script, nothing loaded from anywhere): the header with every
// engine's evidence and the KMS, the overview of all flows as small
// producer × consumer grids, the list of unexpected cells, then one section
// per flow whose grid positions open full-width panels of cells, failing
// ones first and open, each command replayable with a copy button.
func HTML(w io.Writer, r *flows.Report) error {
	status, statusClass := runStatus(r)
	rp := newReplayer(r)
	d := pageData{
		R: r, Started: r.Started.UTC().Format(time.RFC3339), Took: time.Duration(r.Duration).Round(time.Millisecond).String(),
		Status: status, StatusClass: statusClass, Counts: counts(r.Cells), KMS: rp.kms, ReplayNote: rp.note(),
		Grids: grids(r), StandIn: standIns(r),
	}
	for i := range r.Cells {
		c := &r.Cells[i]
		switch {
		case failing(c):
			d.Unexpected = append(d.Unexpected, c)
		case c.Verdict == flows.Allowed:
			d.Allowed = append(d.Allowed, c)
		case c.Verdict == flows.Interrupted:
			d.Interrupted++
		}
	}
	d.Blame = blameOf(d.Unexpected)
	for _, v := range verdictOrder {
		d.Legend = append(d.Legend, countItem{Word: shortWord(v), Class: verdictClass(v)})
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.Execute(bw, d); err != nil {
		return fmt.Errorf("render: rendering report.html: %w", err)
	}
	sw := &sectionWriter{w: bw, rp: rp, standIn: d.StandIn}
	for _, g := range d.Grids {
		sw.flow(g)
	}
	bw.WriteString("<script>" + pageJS + "</script>\n</body>\n</html>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("render: writing report.html: %w", err)
	}
	return nil
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"short": shortEngine,
	"abbrev": func(s string, n int) string {
		if len(s) <= n {
			return s
		}
		return s[:n] + "…"
	},
	"caption": caption,
}).Parse(pageHTML))

// caption is a flow's title shortened for the overview: up to the first
// ':', '(' or ',' and at most 34 characters.
func caption(title string) string {
	if i := strings.IndexAny(title, ":(,"); i > 8 {
		title = strings.TrimSpace(title[:i])
	}
	if r := []rune(title); len(r) > 34 {
		title = string(r[:33]) + "…"
	}
	return title
}

const pageCSS = `
:root{--pass:#2da44e;--xfail:#54aeff;--unexpected:#cf222e;--allowed:#bf8700;--interrupted:#8250df;--na:#d0d7de;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 1.2rem 3rem;color:#1f2328;background:#fff;font-size:14px;line-height:1.35}
h1{font-size:1.3rem;margin:.5rem 0 .2rem;display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}
h2{font-size:1.05rem;margin:1.4rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.15rem}
h2.top{margin:.7rem 0 .35rem}
a{color:#0969da}
.status{font-size:.95rem;padding:.1rem .6rem;border-radius:4px;color:#fff;white-space:nowrap}
.status.pass{background:var(--pass)}.status.unexpected{background:var(--unexpected)}.status.interrupted{background:var(--interrupted)}
.meta{margin:.1rem 0;color:var(--muted)}.meta b{color:#1f2328;font-weight:600}
.meta details{display:inline}.meta details[open]{display:block;background:#f6f8fa;padding:.2rem .5rem;margin:.2rem 0;color:#1f2328}
.meta summary{cursor:pointer;color:#0969da;display:inline}
.counts span{white-space:nowrap;margin-right:.6rem}
.dot{display:inline-block;width:.8em;height:.8em;border-radius:2px;vertical-align:-.05em;margin-right:.25em}
.dot.pass{background:var(--pass)}.dot.xfail{background:var(--xfail)}.dot.unexpected{background:var(--unexpected)}
.dot.allowed{background:var(--allowed)}.dot.interrupted{background:var(--interrupted)}.dot.na{background:var(--na)}
table{border-collapse:collapse}
#engines{margin:.3rem 0 0;font-size:12px}
#engines th,#engines td{border:1px solid var(--line);padding:.05rem .45rem;text-align:left;white-space:nowrap}
#engines th{background:#f6f8fa}
#engines .ev{color:var(--muted)}#engines .ev code{font-size:11.5px;color:#1f2328}
[title].tip{text-decoration:underline dotted #8c959f;cursor:help}
.badge{display:inline-block;font-size:10.5px;line-height:1.3;padding:0 .3rem;border-radius:3px;border:1px solid;margin-left:.3rem;white-space:nowrap;font-weight:600;vertical-align:.05em}
.badge.si{color:#8250df;border-color:#8250df}.badge.warn{color:#9a6700;border-color:#d4a72c}
.overview{display:flex;flex-wrap:wrap;gap:.6rem .9rem;align-items:flex-end}
.mini{font-size:10.5px;min-width:6.2rem}
.mini caption{text-align:left;font-weight:600;font-size:11.5px;line-height:1.2;padding-bottom:2px}
.mini caption div{width:0;min-width:100%;height:2.45em;overflow:hidden;text-overflow:ellipsis;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.mini caption a{font-size:12.5px;margin-right:.15rem}
.mini th{font-weight:400;color:var(--muted);padding:0 3px 0 0;text-align:right;white-space:nowrap}
.mini thead th{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;padding:0 0 2px;vertical-align:bottom;line-height:17px}
.mini td{padding:1px}
.sq{display:block;width:16px;height:16px;border-radius:2px;background:var(--na)}
a.sq:hover{outline:2px solid #1f2328}
.sq.pass{background:var(--pass)}.sq.xfail{background:var(--xfail)}.sq.unexpected{background:var(--unexpected)}
.sq.allowed{background:var(--allowed)}.sq.interrupted{background:repeating-linear-gradient(45deg,var(--interrupted) 0 3px,#e8dcfc 3px 6px)}
.sq.si{box-shadow:inset 0 0 0 2px #fff;outline:1px dashed #8250df;outline-offset:-1px}
.si-name{font-style:italic}
.legend{color:var(--muted);font-size:12px;margin:.35rem 0 0}.legend span{margin-right:.8rem;white-space:nowrap}
#unexpected ol{margin:.2rem 0;padding-left:2.2rem;max-height:16rem;overflow:auto;columns:2 34rem;column-gap:2rem}
#unexpected li{break-inside:avoid;margin:.05rem 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#unexpected .blame{margin:.1rem 0 .3rem}
#unexpected .id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.ok{color:var(--pass);font-weight:600;margin:.2rem 0}
.grid th,.grid td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;white-space:nowrap}
.grid th{background:#f6f8fa;font-weight:600}
.grid td.pass{background:#dafbe1}.grid td.xfail{background:#ddf4ff}.grid td.unexpected{background:#ffebe9;font-weight:600}
.grid td.allowed{background:#fff8c5}.grid td.interrupted{background:#fbefff}.grid td.na{background:#f6f8fa;color:var(--muted)}
.grid td.empty{color:#8c959f}
.grid td a{color:inherit;text-decoration:none;display:block}.grid td a:hover{text-decoration:underline}
.panels{margin-top:.5rem}
details.pos{border:1px solid var(--line);border-left:5px solid var(--na);margin:.25rem 0;border-radius:3px}
details.pos.pass{border-left-color:var(--pass)}details.pos.xfail{border-left-color:var(--xfail)}details.pos.unexpected{border-left-color:var(--unexpected)}
details.pos.allowed{border-left-color:var(--allowed)}details.pos.interrupted{border-left-color:var(--interrupted)}
details.pos>summary{padding:.2rem .5rem;cursor:pointer;background:#f6f8fa}
details.cell{margin:.3rem .5rem .3rem 1rem;border-top:1px solid #eaeef2}
details.cell>summary{cursor:pointer;padding:.15rem 0}
details.cell.unexpected>summary{color:var(--unexpected);font-weight:600}
.body{padding:.2rem .2rem .5rem 1rem}
.body p{margin:.2rem 0}
.k{color:var(--muted);display:inline-block;min-width:6.5rem}
.diag{background:#fff8c5;border:1px solid #d4a72c;padding:.25rem .5rem .25rem 0;border-radius:3px}
.st{margin:.4rem 0}
.st .w{font-size:12px;color:var(--muted);display:flex;gap:.3rem;align-items:baseline}
.st .w b{color:#1f2328}
.st.fail>code{border-color:#ff8182;border-left:3px solid var(--unexpected)}.st.fail .w{color:var(--unexpected)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.st>code{background:#f6f8fa;border:1px solid #eaeef2;padding:.2rem .4rem;white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto;display:block}
pre{white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto;margin:.15rem 0;padding:.2rem .4rem;background:#f6f8fa}
pre.err{background:#fff5f5;border-left:3px solid #ff8182}
pre.diff{border-left:3px solid var(--xfail)}
button.cp{margin-left:auto;font-size:11px;padding:0 .45rem;border:1px solid var(--line);border-radius:3px;background:#fff;cursor:pointer;white-space:nowrap}
button.cp:hover{background:#f3f4f6}
.muted{color:var(--muted)}
`

// pageJS opens the panels a link points to and copies commands; it loads
// nothing and sends nothing.
const pageJS = `(function(){
function buttons(root){root.querySelectorAll('.st>.w').forEach(function(w){if(w.querySelector('button.cp'))return;
var b=document.createElement('button');b.className='cp';b.type='button';b.title='copy the command below';b.textContent='copy';w.appendChild(b);});}
function openTo(h){if(!h||h.length<2)return;var el=document.getElementById(decodeURIComponent(h.slice(1)));if(!el)return;
for(var e=el;e;e=e.parentElement){if(e.tagName==='DETAILS'){e.open=true;buttons(e);}}el.scrollIntoView();}
document.querySelectorAll('details[open]').forEach(buttons);
document.addEventListener('toggle',function(ev){if(ev.target.open)buttons(ev.target);},true);
addEventListener('hashchange',function(){openTo(location.hash);});
document.addEventListener('click',function(ev){
var a=ev.target.closest('a[href^="#"]');if(a){var h=a.getAttribute('href');if(h===location.hash){ev.preventDefault();openTo(h);}return;}
var b=ev.target.closest('button.cp');if(!b)return;var t=b.parentElement.parentElement.querySelector('code').textContent;
var done=function(){b.textContent='copied';setTimeout(function(){b.textContent='copy';},1200);};
var fallback=function(){var ta=document.createElement('textarea');ta.value=t;document.body.appendChild(ta);ta.select();try{document.execCommand('copy');done();}catch(e){}ta.remove();};
if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(t).then(done,fallback);}else{fallback();}});
openTo(location.hash);})();`

const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kmsconform report — {{.Status}}</title>
<style>` + pageCSS + `</style>
</head>
<body>
<header id="header">
<h1>kmsconform report <span class="status {{.StatusClass}}" id="status">{{.Status}}</span></h1>
<p class="meta">Started <b>{{.Started}}</b>, took <b>{{.Took}}</b>{{if .R.Tool}}; tool <b>{{.R.Tool}}</b>{{end}}{{if .R.Shard}}; shard <b>{{.R.Shard}}</b>{{end}}.
<span class="counts">{{range .Counts}}<span><span class="dot {{.Class}}"></span>{{.N}} {{.Word}}</span>{{end}}</span></p>
<div class="meta">KMS: <b id="kms-endpoint">{{.R.KMS}}</b>. <details><summary>How to replay the commands</summary>{{.ReplayNote}} openssl lines name the engine's binary (a container image, a host path, the oracle's profile); run them in the cell's kept work directory when it has one.</details></div>
<table id="engines"><thead><tr><th>Engine</th><th>Version (hover: openssl version -a)</th><th>Profile</th><th>Evidence</th></tr></thead><tbody>
{{range .R.Engines}}<tr{{if .StandIn}} class="si-name"{{end}}><td>{{.Name}}{{if .StandIn}}<span class="badge si" title="no real binary of this line ran: a compat profile of the oracle stands in">stand-in</span>{{end}}</td><td{{if .VersionAll}} class="tip" title="{{.VersionAll}}"{{end}}>{{.Version}}</td><td>{{.Profile}}</td>
<td class="ev">{{if .SHA256}}sha256 <code title="{{.SHA256}}">{{abbrev .SHA256 12}}</code> {{end}}{{if .Image}}image <code>{{.Image}}</code> {{end}}{{if .ImageID}}<code title="{{.ImageID}}">{{abbrev .ImageID 19}}</code> {{end}}{{if .Warning}}<span class="badge warn" title="{{.Warning}}">{{abbrev .Warning 60}}</span>{{end}}</td></tr>
{{end}}</tbody></table>
</header>
<section id="overview">
<h2 class="top">Overview: producer (rows) × consumer (columns), per flow</h2>
<div class="overview">
{{range $g := .Grids}}<table class="mini" data-flow="{{$g.Flow}}"><caption title="Flow {{$g.Flow}}: {{$g.Title}}"><div><a href="#{{$g.Anchor}}">{{$g.Flow}}</a> {{caption $g.Title}}</div></caption>
<thead><tr><th></th>{{range $g.Consumers}}<th{{if index $.StandIn .}} class="si-name"{{end}} title="consumer {{.}}">{{short .}}</th>{{end}}</tr></thead>
<tbody>{{range $i, $row := $g.Rows}}{{$p := index $g.Producers $i}}<tr><th{{if index $.StandIn $p}} class="si-name"{{end}} title="producer {{$p}}">{{short $p}}</th>{{range $row}}<td>{{if .}}<a class="sq {{.Class}}{{if .StandIn}} si{{end}}" href="#cell-{{(index .Cells 0).ID}}" title="{{.Producer}} → {{.Consumer}}: {{.Label}}{{if .StandIn}} (stand-in){{end}}"></a>{{end}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{end}}</div>
<p class="legend">{{range .Legend}}<span><span class="dot {{.Class}}"></span>{{.Word}}</span>{{end}}<span><span class="sq si" style="display:inline-block;width:.9em;height:.9em;vertical-align:-.1em"></span> stand-in engine (compat profile, no real binary)</span></p>
</section>
<section id="unexpected">
<h2 class="top">Unexpected cells ({{len .Unexpected}})</h2>
{{if .Blame}}<p class="blame">Involved most: {{range $i, $b := .Blame}}{{if $i}}, {{end}}<b>{{$b.Role}} {{$b.Engine}}</b> in {{$b.N}}{{end}} of {{len .Unexpected}}.</p>{{end}}
{{if .Unexpected}}<ol>{{range .Unexpected}}<li><a class="id" href="#cell-{{.ID}}">{{.ID}}</a>{{if .StandIn}}<span class="badge si">stand-in</span>{{end}} — {{if .Actual.Class}}<b>{{.Actual.Class}}</b>: {{end}}{{if .Message}}{{.Message}}{{else}}{{.Actual.Reason}}{{end}}</li>
{{end}}</ol>{{else}}<p class="ok">None{{if .R.Interrupted}} among the cells that ran{{end}}.</p>{{end}}
{{if .Allowed}}<p class="muted">Allowed (unexpected, covered by an allowance; not failures): {{range .Allowed}}<a class="id" href="#cell-{{.ID}}">{{.ID}}</a> ({{.Allowance}}) {{end}}</p>{{end}}
{{if .Interrupted}}<p class="muted">{{.Interrupted}} cells were interrupted before they finished: they say nothing about conformance.</p>{{end}}
</section>
`
