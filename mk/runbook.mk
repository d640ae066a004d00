# runbook/: `kmsconform runbook` and `runbook lint`; examples/runbooks,
# suites/runbook.
LINT_EXTRA    += lint-runbooks
BENCH_TARGETS += bench-runbook

.PHONY: lint-runbooks test-runbook bench-runbook

# lint-runbooks: on the real openssl lines, the example runbooks lint
# clean (broken-onboarding.sh declares its errors with expect fail).
RUNBOOK_LINES ?= 1.1.1,3.0,3.5,3.6,4.0
lint-runbooks: build
	@for f in $$(ls examples/runbooks/* | grep -v README.md); do \
	  $(BIN) runbook lint --versions $(RUNBOOK_LINES) $$f >/dev/null; rc=$$?; \
	  if [ $$rc -ne 0 ]; then echo "lint-runbooks: $$f: exit $$rc"; \
	    $(BIN) runbook lint --versions $(RUNBOOK_LINES) $$f; exit 1; fi; done

# test-runbook: the runbook suite alone (examples on host, oracle and the
# 1.1.1 profile; on openssl-1.1.1 and openssl-3.5 containers when built).
test-runbook: build
	KMSCONFORM_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 30m ./suites/runbook

# bench-runbook: a runbook on the host engine vs the same script by hand
# (ratio, target <= 1.3), and the per-command overhead of the container
# wrapper against engine/container's Run (target <= 10 ms).
bench-runbook: build
	KMSCONFORM_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench '^Benchmark(RunbookVsHand|ContainerOverhead)$$' -benchtime 3x -timeout 20m ./suites/runbook
