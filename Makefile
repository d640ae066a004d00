# kmsconform — see README.md. Parts own their targets in mk/*.mk; they add to
# the variables below (e.g. BENCH_TARGETS += bench-enc) instead of editing
# this file.
GO      ?= go
BIN     := bin/kmsconform
REPORT  ?= report

# Extra prerequisites contributed by mk/*.mk.
LINT_EXTRA    :=
TEST_EXTRA    :=
BENCH_TARGETS :=

.PHONY: all build lint test test-go conformance bench clean
all: build

build:
	$(GO) build -o $(BIN) ./cmd/kmsconform

include $(sort $(wildcard mk/*.mk))

# lint: go vet, gofmt (failing on any output) and the parts' own linters.
lint: $(LINT_EXTRA)
	$(GO) vet ./...
	@out="$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# test: everything — lint, every Go test and Ginkgo suite, and the parts' extras.
test: lint build test-go $(TEST_EXTRA)

test-go:
	$(GO) test -timeout 30m ./...

# conformance: the main job on the embedded defaults (host openssl, the
# oracle, the in-process KMS fake); JUnit and a summary in $(REPORT)/.
conformance: build
	$(CONFORMANCE_CMD)

# bench: performance report with ratios measured against references in the same run.
bench: build $(BENCH_TARGETS)

clean:
	rm -rf bin $(REPORT)
