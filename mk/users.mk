# The users' jobs: doctor, partner, the report renderer, partner examples.
# test-users runs their tests with the headless browser required, so a CI
# without chromium fails loudly instead of checking the page source only.
.PHONY: test-users bench-doctor
TEST_EXTRA += test-users
BENCH_TARGETS += bench-doctor

test-users:
	KMSCONFORM_REQUIRE_BROWSER=1 $(GO) test -count=1 ./render/ ./diagnose/

# bench-doctor: the doctor's enc search against a naive search (every
# (digest, iteration count) derived separately, every candidate fully
# decrypted), measured in the same run.
bench-doctor:
	@$(GO) test -run '^$$' -bench 'DiagnoseEnc' -benchtime 1x ./doctor/ | tee $(or $(TMPDIR),/tmp)/kmsconform-bench-doctor.txt
	@awk '/^BenchmarkDiagnoseEnc-/{f=$$3} /^BenchmarkDiagnoseEncNaive-/{n=$$3} END{ if (f>0 && n>0) printf "doctor enc worst-case search: %.2f s, naive reference %.2f s, speed-up %.1fx (same run)\n", f/1e9, n/1e9, n/f; else {print "bench-doctor: benchmark lines missing"; exit 1} }' $(or $(TMPDIR),/tmp)/kmsconform-bench-doctor.txt
