# RSA, EC, key I/O and KDF part of the oracle.
# fuzz-pkey: run the key-parser, OAEP-decoding and key-command fuzz targets
# for a while beyond their seed corpus (plain `go test` already runs the seeds).
PKEY_FUZZTIME ?= 20s
.PHONY: fuzz-pkey
fuzz-pkey:
	$(GO) test -run '^$$' -fuzz '^FuzzParsePublicKey$$' -fuzztime $(PKEY_FUZZTIME) ./oracle
	$(GO) test -run '^$$' -fuzz '^FuzzParsePrivateKey$$' -fuzztime $(PKEY_FUZZTIME) ./oracle
	$(GO) test -run '^$$' -fuzz '^FuzzOAEPDecode$$' -fuzztime $(PKEY_FUZZTIME) ./oracle
	$(GO) test -run '^$$' -fuzz '^FuzzKeyCommands$$' -fuzztime $(PKEY_FUZZTIME) ./opensslcli
