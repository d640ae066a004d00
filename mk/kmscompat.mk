# KMS compatibility: `kmsconform kms check` (the specs of package kmsspec)
# against kmsconform's fake and moto, the table in docs/kms-compat.md, and
# the benchmarks (check time against the fake and moto; fake vs moto
# requests/s).
KMS_COMPAT_DIR := $(REPORT)/kms-compat

.PHONY: kms-compat kms-check-fake bench-kms-check bench-kms-check-warm bench-kms-moto

# kms-compat: start the fake (as a process) and moto, run `kms check`
# against each (reports in $(KMS_COMPAT_DIR)/<target>/), then write the
# table. moto's failures are the point and do not fail the target.
kms-compat: build
	@mkdir -p $(KMS_COMPAT_DIR)
	$(GO) run ./suites/kmscompat/compattable -bin $(abspath $(BIN)) -reports $(abspath $(KMS_COMPAT_DIR)) -o docs/kms-compat.md
	@sed -n '/^## Summary/,/^## Every/p' docs/kms-compat.md | sed '$$d'
	@echo "kms-compat: table written to docs/kms-compat.md"

# kms-check-fake: the gate a KMS implementation would run in CI, on our own
# fake: `kms serve` on a free port, `kms check` against it, exit 0 iff
# every spec passes.
kms-check-fake: build
	@set -e; dir=$$(mktemp -d); trap 'kill $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	$(BIN) kms serve --listen 127.0.0.1:0 --quiet >$$dir/serve.log 2>&1 & pid=$$!; \
	for i in $$(seq 1 100); do url=$$(grep -o 'http://[0-9.:]*' $$dir/serve.log | head -1); [ -n "$$url" ] && break; sleep 0.1; done; \
	[ -n "$$url" ] || { cat $$dir/serve.log; echo "kmsconform: error: kms serve did not start"; exit 3; }; \
	$(BIN) kms check --endpoint $$url --report $(REPORT)/kms-check

# bench-kms-check: wall time of `kms check` (every spec) against the fake
# as a process (target: < 5 s on 2 cores) and against moto, same run.
bench-kms-check: build
	$(GO) run ./suites/kmscompat/compattable -bin $(abspath $(BIN)) -reports $(abspath $(KMS_COMPAT_DIR))-bench -time

# bench-kms-check-warm: `kms check` against a fake whose RSA key pool
# (`kms serve --key-pool`, default 4 keys of each size) has filled, as in
# CI when the fake starts before the build: the check then creates no RSA
# key itself (target: < 5 s on 2 cores). Prints the check's wall time, the
# fill time and the fake's CPU seconds (fill included) from /proc.
KMS_KEY_POOL ?= 4
bench-kms-check-warm: build
	@set -e; dir=$$(mktemp -d); trap 'kill $$pid 2>/dev/null; rm -rf $$dir' EXIT; \
	$(BIN) kms serve --listen 127.0.0.1:0 --quiet --key-pool $(KMS_KEY_POOL) >$$dir/serve.log 2>&1 & pid=$$!; \
	for i in $$(seq 1 100); do url=$$(grep -o 'http://[0-9.:]*' $$dir/serve.log | head -1); [ -n "$$url" ] && break; sleep 0.1; done; \
	[ -n "$$url" ] || { cat $$dir/serve.log; echo "kmsconform: error: kms serve did not start"; exit 3; }; \
	for i in $$(seq 1 1800); do grep -q 'key pool filled' $$dir/serve.log && break; sleep 0.1; done; \
	grep 'key pool filled' $$dir/serve.log || { echo "kmsconform: error: the key pool did not fill within 180 s"; exit 3; }; \
	start=$$(date +%s.%N); \
	$(BIN) kms check --endpoint $$url --report $$dir/report | tail -1; \
	end=$$(date +%s.%N); \
	cpu=$$(awk -v hz=$$(getconf CLK_TCK) '{ printf "%.2f", ($$14 + $$15) / hz }' /proc/$$pid/stat); \
	echo "bench-kms-check-warm: kms check wall $$(awk -v a=$$start -v b=$$end 'BEGIN { printf "%.2f", b - a }') s (target < 5 s); fake CPU $$cpu s since start; load $$(cut -d' ' -f1-3 /proc/loadavg)"

# bench-kms-moto: symmetric Encrypt+Decrypt requests/s, fake process vs moto,
# same client and concurrency, one run; the target is >= 20x.
bench-kms-moto: build
	$(GO) run ./suites/kmscompat/benchkms -bin $(abspath $(BIN)) -duration 5s -c 8 -min 20

BENCH_TARGETS += bench-kms-check bench-kms-check-warm bench-kms-moto
