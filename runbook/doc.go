// Package runbook runs a partner runbook — a shell script or a Markdown
// document, its commands unchanged — across openssl engines on both sides,
// and lints it before anything runs.
//
// Directives are comment lines, invisible when the document is rendered:
// `# kmsconform: ...` in shell, `<!-- kmsconform: ... -->` in Markdown:
//
//	key NAME SPEC USAGE          a KMS key created before the run; $NAME (and <NAME> in Markdown) is its id
//	file NAME SIZE               a random input file of SIZE bytes in the work directory
//	role partner|owner           what follows runs as the producer (partner) or consumer (owner)
//	same A B                     at the end, files A and B must be byte-equal
//	expect fail CLASS [when producer=GLOB|consumer=GLOB] — why
//
// Parse checks a runbook (bad input is a usage error with FILE:LINE and a
// hint); Run runs it as producer × consumer cells, each in one bash process
// in a fresh work directory, with a per-role `openssl` on PATH and the real
// aws CLI pointed at the KMS; Lint predicts what breaks on which openssl line.
// Runbooks are trusted code, like a Makefile.
package runbook
