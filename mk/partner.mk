# partner: `kmsconform partner` and its example tools.
.PHONY: bench-partner
BENCH_TARGETS += bench-partner

# bench-partner: one RSA mode over three key specs with a correct openssl
# tool against the in-process fake; kmsconform's own share must stay under
# 5 s (issue 13), the tool's time is reported separately.
bench-partner:
	@$(GO) test -run '^$$' -bench 'PartnerRSA' -benchtime 2x ./partner/ | tee $(or $(TMPDIR),/tmp)/kmsconform-bench-partner.txt
	@awk '/^BenchmarkPartnerRSA/{for(i=1;i<=NF;i++){if($$(i+1)=="wall-ms/op")w=$$i; if($$(i+1)=="tool-ms/op")t=$$i; if($$(i+1)=="own-ms/op")o=$$i}} END{ if (w=="") {print "bench-partner: benchmark line missing"; exit 1} printf "partner RSA, 3 key specs: %.2f s wall, %.2f s in the tool, %.2f s kmsconform itself (limit 5 s)\n", w/1000, t/1000, o/1000; if (o>5000) exit 1 }' $(or $(TMPDIR),/tmp)/kmsconform-bench-partner.txt
