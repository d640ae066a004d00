# KMS compatibility: the suites/kmscompat specs against kmsconform's fake and
# moto, the table in docs/kms-compat.md, and the fake-vs-moto benchmark.
KMS_COMPAT_DIR := $(REPORT)/kms-compat

.PHONY: kms-compat bench-kms-moto

# kms-compat: run the specs against the fake (as a process, built here) and
# moto; failures are expected for moto and do not fail the target. Writes
# JUnit + JSON reports per target, then the Markdown table.
kms-compat: build
	@mkdir -p $(KMS_COMPAT_DIR)
	@for t in fake-process moto; do \
		echo "== kms-compat: $$t"; \
		KMSCONFORM_KMS_TARGET=$$t KMSCONFORM_BIN=$(abspath $(BIN)) \
		$(GO) test ./suites/kmscompat/ -count=1 -timeout 20m -args \
			-ginkgo.junit-report=$(abspath $(KMS_COMPAT_DIR))/junit-$$t.xml \
			-ginkgo.json-report=$(abspath $(KMS_COMPAT_DIR))/report-$$t.json \
			-ginkgo.succinct >$(KMS_COMPAT_DIR)/$$t.log 2>&1 \
		&& echo "   all specs passed" || echo "   some specs failed (see $(KMS_COMPAT_DIR)/$$t.log)"; \
	done
	@test -s $(KMS_COMPAT_DIR)/report-fake-process.json && test -s $(KMS_COMPAT_DIR)/report-moto.json \
		|| { echo "kmsconform: error: a kms-compat report is missing"; echo "kmsconform: hint: read $(KMS_COMPAT_DIR)/*.log"; exit 1; }
	$(GO) run ./suites/kmscompat/compattable -o docs/kms-compat.md \
		"kmsconform fake=$(KMS_COMPAT_DIR)/report-fake-process.json" \
		"moto $$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)=$(KMS_COMPAT_DIR)/report-moto.json"
	@sed -n '/^## Summary/,/^## Every/p' docs/kms-compat.md | sed '$$d'
	@echo "kms-compat: table written to docs/kms-compat.md"

# bench-kms-moto: symmetric Encrypt+Decrypt requests/s, fake process vs moto,
# same client and concurrency, one run; the target is >= 20x.
bench-kms-moto: build
	$(GO) run ./suites/kmscompat/benchkms -bin $(abspath $(BIN)) -duration 5s -c 8 -min 20

BENCH_TARGETS += bench-kms-moto
