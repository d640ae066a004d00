// Package render renders a run's results (flows.Report) for people:
// report.md, and report.html, a single self-contained page (inline CSS,
// no scripts, no fonts) with a producer × consumer grid per flow whose
// cells open (<details>) to the exact commands and API calls, stderr and a
// hex diff of what differed. The header names every engine's version and
// the KMS endpoint.
package render
