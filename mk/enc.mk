# enc/rand part: the oracle's enc throughput against the host openssl.
.PHONY: bench-enc
BENCH_TARGETS += bench-enc

# bench-enc: 1 GiB aes-256-cbc, encrypt and decrypt, oracle (bin/kmsconform
# openssl enc, a separate process; crypto/aes + crypto/cipher, CBC decryption
# split over every core) vs host openssl in the same run; prints both
# throughputs, the ratio, the oracle's peak RSS, the load average, and PASS or
# MISSED per target: encrypt >= 0.75x, decrypt >= 1.0x, RSS < 64 MiB.
# BENCH_ENC_FLAGS=-strict makes a missed target exit 1.
bench-enc: build
	$(GO) run ./internal/benchenc -oracle $(BIN) $(BENCH_ENC_FLAGS)

# fuzz-enc: a short fuzzing run of the enc and base64 readers (their seed
# corpora also run as unit tests in `go test`).
.PHONY: fuzz-enc
TEST_EXTRA += fuzz-enc
fuzz-enc:
	$(GO) test ./oracle -run '^$$' -fuzz '^FuzzDecrypt$$' -fuzztime 10s
	$(GO) test ./oracle -run '^$$' -fuzz '^FuzzBase64Reader$$' -fuzztime 10s
	$(GO) test ./opensslcli -run '^$$' -fuzz '^FuzzEncArgs$$' -fuzztime 10s
