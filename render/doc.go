// Package render renders a run's results (flows.Report) for people and CI:
// junit.xml, results.json, report.md (GitHub step summary friendly, under
// 1 MiB for the full matrix) and report.html, one self-contained page
// (inline CSS and a small inline script; nothing loaded or sent). The page
// opens with the header (what ran, where, when, each engine's evidence and
// the KMS), then the overview — one small producer × consumer grid per
// flow, coloured by verdict — and the list of unexpected cells; each flow
// section follows with full-width panels of cells, failing ones first and
// open, every command replayable (aws lines with the KMS's --endpoint-url
// and --region, openssl lines naming the engine's binary) with a copy
// button, the doctor's diagnosis and the kept work directory. Compare and
// WriteDiff list the cells whose verdict changed between two reports.
package render
