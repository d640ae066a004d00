# runbook/: `kmsconform runbook` and `runbook lint`; examples/runbooks,
# suites/runbook.
LINT_EXTRA    += lint-runbooks
BENCH_TARGETS += bench-runbook

.PHONY: lint-runbooks test-runbook bench-runbook

# lint-runbooks: every example runbook parses and lints (exit 2 = bad
# input fails; exit 1 = findings, expected: broken-onboarding.sh is broken).
lint-runbooks: build
	@for f in examples/runbooks/*; do $(BIN) runbook lint $$f >/dev/null; rc=$$?; \
	  if [ $$rc -gt 1 ]; then echo "lint-runbooks: $$f: exit $$rc"; exit 1; fi; done

# test-runbook: the runbook suite alone (examples on host, oracle and the
# 1.1.1 profile; on openssl-1.1.1 and openssl-3.5 containers when built).
test-runbook: build
	KMSCONFORM_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 30m ./suites/runbook

# bench-runbook: a runbook on the host engine vs the same script by hand
# (ratio, target <= 1.3), and the per-command overhead of the container
# wrapper against engine/container's Run (target <= 10 ms).
bench-runbook: build
	KMSCONFORM_BIN=$(CURDIR)/$(BIN) $(GO) test -run '^$$' -bench '^Benchmark(RunbookVsHand|ContainerOverhead)$$' -benchtime 1x -timeout 20m ./suites/runbook
