# flows/, engines, suites/flows, scripts/seeds and the CI workflow.
ACTIONLINT ?= $(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

LINT_EXTRA    += actionlint lint-seeds
BENCH_TARGETS += bench-flows

.PHONY: actionlint lint-seeds bench-flows

# actionlint checks the GitHub Actions workflows (fetched through the module proxy).
actionlint:
	$(ACTIONLINT) .github/workflows/*.yml

# lint-seeds: the runbook scripts must at least parse.
lint-seeds:
	@for f in scripts/seeds/*.sh; do bash -n "$$f" || exit 1; done

# bench-flows: wall time of the conformance run (target < 10 s on 2 cores),
# next to the same cells with the host openssl alone, measured in this run.
bench-flows: build
	@t0=$$(date +%s%N); $(BIN) run --report $(REPORT)/bench-all >/dev/null || true; t1=$$(date +%s%N); \
	$(BIN) run --engines host --report $(REPORT)/bench-host >/dev/null || true; t2=$$(date +%s%N); \
	all=$$(( (t1-t0)/1000000 )); host=$$(( (t2-t1)/1000000 )); \
	cells=$$(jq '.cells|length' $(REPORT)/bench-all/results.json); hcells=$$(jq '.cells|length' $(REPORT)/bench-host/results.json); \
	echo "bench-flows: kmsconform run (host,oracle): $$cells cells in $$all ms (target < 10000 ms)"; \
	echo "bench-flows: kmsconform run (host only):   $$hcells cells in $$host ms; ratio $$(echo "scale=2; $$all/$$host" | bc 2>/dev/null || echo n/a)"
