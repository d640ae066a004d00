# kmsfake: the KMS server. `make test` runs the 32-client concurrency test
# under the race detector and a short fuzzing run of the request decoder and
# the SigV4 verifier; `make bench` prints the fake's performance ratios from
# one run (set KMSFAKE_BENCH_STRICT=1 to fail when a target is missed).
TEST_EXTRA    += test-kmsfake-race fuzz-kmsfake
BENCH_TARGETS += bench-kmsfake

.PHONY: test-kmsfake-race fuzz-kmsfake bench-kmsfake

test-kmsfake-race:
	$(GO) test -race -count=1 -timeout 10m -run '^TestConcurrentClients$$' ./kmsfake/

fuzz-kmsfake:
	$(GO) test ./kmsfake -run '^$$' -fuzz '^FuzzRequest$$' -fuzztime 10s
	$(GO) test ./kmsfake -run '^$$' -fuzz '^FuzzSigV4Header$$' -fuzztime 10s

bench-kmsfake: build
	@out="$$(KMSCONFORM_BIN=$(abspath $(BIN)) $(GO) test ./kmsfake/ -run '^$$' -count=1 -timeout 10m \
		-bench '^Benchmark(DecryptRSA2048Ratio|DecryptRSA2048ParallelRatio|StartToFirstAnswer)$$' -benchtime 3s)" || { echo "$$out"; exit 1; }; \
	one="$$($(GO) test ./kmsfake/ -run '^$$' -count=1 -timeout 10m -cpu 1 -bench '^BenchmarkDecryptRSA2048Ratio$$' -benchtime 3s)" || { echo "$$one"; exit 1; }; \
	out="$$(printf '%s\n%s\n' "$$out" "$$(echo "$$one" | sed -n 's/^BenchmarkDecryptRSA2048Ratio[[:space:]]/BenchmarkDecryptRSA2048RatioOneCPU /p')")"; \
	echo "$$out" | awk -v strict="$$KMSFAKE_BENCH_STRICT" ' \
		function metrics(kind) { for (i = 1; i <= NF; i++) { if ($$(i+1) == "bare-ns/op") bare[kind] = $$i; \
			if ($$(i+1) == "fake-ns/op") fake[kind] = $$i; if ($$(i+1) == "ratio") ratio[kind] = $$i; \
			if ($$(i+1) == "cpu-ratio") cpu = $$i } } \
		/^BenchmarkDecryptRSA2048Ratio-/ { metrics("seq") } \
		/^BenchmarkDecryptRSA2048RatioOneCPU / { metrics("one") } \
		/^BenchmarkDecryptRSA2048ParallelRatio/ { metrics("par") } \
		/^BenchmarkStartToFirstAnswer/ { start = $$3 / 1e6 } \
		END { \
			if (ratio["seq"] == "" || ratio["one"] == "" || ratio["par"] == "" || start == "") { print "bench-kmsfake: benchmark output missing"; exit 1 } \
			ok1 = (ratio["seq"] >= 0.85); ok2 = (ratio["par"] >= 0.85); ok3 = (start < 100); ok4 = (ratio["one"] >= 0.85); \
			print "kmsfake (each ratio from one benchmark run, bare and fake interleaved):"; \
			printf "  Decrypt RSA-2048 OAEP, SDK->HTTP->fake vs bare crypto/rsa, one at a time: %.2fx (target >= 0.85x) %s  [bare %.0f us, fake %.0f us]\n", ratio["seq"], ok1 ? "ok" : "MISSED", bare["seq"] / 1000, fake["seq"] / 1000; \
			printf "  the same, GOMAXPROCS=1 (no runtime work on the other vCPU): %.2fx (target >= 0.85x) %s  [bare %.0f us, fake %.0f us]\n", ratio["one"], ok4 ? "ok" : "MISSED", bare["one"] / 1000, fake["one"] / 1000; \
			printf "  the same, every core busy (throughput):                 %.2fx (target >= 0.85x) %s  [bare %.0f us/op, fake %.0f us/op]\n", ratio["par"], ok2 ? "ok" : "MISSED", bare["par"] / 1000, fake["par"] / 1000; \
			printf "  the same, CPU time of the process (client+HTTP+fake):   %.2fx (unaffected by other load)\n", cpu; \
			printf "  kms serve process start to first answer: %.1f ms (target < 100 ms) %s\n", start, ok3 ? "ok" : "MISSED"; \
			if (strict == "1" && !(ok1 && ok2 && ok3)) exit 1 }'
