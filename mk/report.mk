# The report renderer (render/): docs/report.png and the rendering benchmark.
.PHONY: report-screenshot bench-render
BENCH_TARGETS += bench-render

# report-screenshot: the first screen (1366×900) of report.html for a
# synthetic full matrix (6 engines × 9 flows, 1608 cells) with a broken
# openssl-3.5, rendered by headless chromium into docs/report.png.
report-screenshot:
	KMSCONFORM_REQUIRE_BROWSER=1 KMSCONFORM_SCREENSHOT=$(CURDIR)/docs/report.png $(GO) test -count=1 -run '^TestReportScreenshot$$' ./render/

# bench-render: rendering all four report formats of the full matrix
# (target < 1 s), with the sizes of report.html (< 5 MB) and report.md
# (< 1 MiB, GitHub's step summary limit).
bench-render:
	@$(GO) test -run '^$$' -bench 'RenderFullMatrix' -benchtime 5x ./render/ | tee $(or $(TMPDIR),/tmp)/kmsconform-bench-render.txt
	@awk '/^BenchmarkRenderFullMatrix-/{ for (i=1;i<=NF;i++) { if ($$(i+1)=="ns/op") ns=$$i; if ($$(i+1)=="html_bytes") h=$$i; if ($$(i+1)=="md_bytes") m=$$i } } END{ if (ns>0) printf "render full matrix (1608 cells, 4 formats): %.0f ms (target < 1000 ms, ratio %.2f); report.html %.2f MB (< 5 MB), report.md %.0f KiB (< 1024 KiB)\n", ns/1e6, ns/1e9, h/1e6, m/1024; else {print "bench-render: benchmark line missing"; exit 1} }' $(or $(TMPDIR),/tmp)/kmsconform-bench-render.txt
