# Real openssl versions in containers (images/, engine/container,
# suites/crossversion). Images are built from Debian's suites with
# debootstrap (root, docker and debootstrap needed); see README/issue 6.
CONTAINER_LINES ?= 1.1.1,3.0,3.5,3.6,4.0

.PHONY: images images-prune bench-matrix test-crossversion

# images: build (or find, cached) one openssl image per line.
images: build
	$(BIN) images build --versions $(CONTAINER_LINES)

images-prune: build
	$(BIN) images prune

# test-crossversion: the cross-version suite alone, JUnit in $(REPORT)/.
test-crossversion: images
	@mkdir -p $(REPORT)
	KMSCONFORM_LINES=$(CONTAINER_LINES) $(GO) test -count=1 -timeout 30m ./suites/crossversion \
		-ginkgo.fail-on-empty -ginkgo.junit-report=$(CURDIR)/$(REPORT)/crossversion-junit.xml $(CROSSVERSION_ARGS)

# bench-matrix: full matrix with warm images (time, cells/s, split), then
# the per-exec overhead of containers against the host binary.
bench-matrix: images
	KMSCONFORM_LINES=$(CONTAINER_LINES) $(GO) test -run '^$$' -bench '^BenchmarkMatrix$$' -benchtime 1x -timeout 30m ./suites/crossversion
	$(GO) test -run '^$$' -bench '^Benchmark(Exec|Start)$$' -benchtime 30x -timeout 10m ./engine/container

BENCH_TARGETS += bench-matrix

# containers-status (after `go test ./...` in `make test`): go test hides the
# output of passing packages, so say here, loudly, whether the container
# specs could run.
.PHONY: containers-status
containers-status:
	@if docker version >/dev/null 2>&1; then \
		echo "containers: Docker answers: engine/container and suites/crossversion ran on real openssl images"; \
	elif [ "$$KMSCONFORM_REQUIRE_DOCKER" = 1 ]; then \
		echo "containers: FAIL: no Docker, and KMSCONFORM_REQUIRE_DOCKER=1"; exit 1; \
	else \
		echo "!!!!! containers: no Docker: every engine/container and suites/crossversion spec was SKIPPED"; \
	fi

TEST_EXTRA += containers-status
