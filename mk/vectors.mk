# vectors: known-answer vectors recorded from real openssl, and Wycheproof.
.PHONY: vectors vectors-check test-vectors openssl111

# vectors: regenerate vectors/*.json from the host openssl (OPENSSL=path to
# choose another 3.x). OPENSSL111=path/to/openssl-1.1.1 also records
# vectors/enc_openssl111.json; `make openssl111` fetches one into $(OPENSSL111_DIR).
OPENSSL ?= openssl
OPENSSL111 ?=
OPENSSL111_DIR ?= $(HOME)/.cache/kmsconform/openssl111
vectors:
	OPENSSL111="$(OPENSSL111)" scripts/gen-vectors.sh $(OPENSSL)

# openssl111: Debian bullseye's OpenSSL 1.1.1 in $(OPENSSL111_DIR) (apt's
# client, private apt state), then: make vectors OPENSSL111=$(OPENSSL111_DIR)/openssl
openssl111:
	scripts/genvectors/fetch-openssl111.sh $(OPENSSL111_DIR)

# vectors-check: regenerate into a temporary directory (the committed files
# are left alone), require the deterministic files (KDF, ECDH) to come out
# byte-identical (but for the generatorVersion line: a patch release of
# openssl must not fail the check), and run the oracle and host-openssl checks on the result:
# proves the generator and the committed answers still hold on this machine.
vectors-check:
	@d="$$(mktemp -d)"; trap 'rm -rf "$$d"' EXIT; \
	VECTORS_OUT="$$d" scripts/gen-vectors.sh $(OPENSSL) && \
	{ [ -f "$$d/enc_openssl111.json" ] || cp vectors/enc_openssl111.json "$$d/"; } && \
	for f in kdf.json ecdh.json; do \
		grep -v '"generatorVersion"' "$$d/$$f" >"$$d/new.$$f"; grep -v '"generatorVersion"' "vectors/$$f" >"$$d/old.$$f"; \
		cmp -s "$$d/new.$$f" "$$d/old.$$f" || { echo "vectors-check: error: regenerated $$f differs from the committed one"; \
			echo "vectors-check: hint: openssl's answers changed or the generator did; diff with: VECTORS_OUT=/tmp/v scripts/gen-vectors.sh"; exit 1; }; \
	done && \
	$(GO) test -count=1 -run 'AgainstOracle|AgainstHostOpenSSL' ./vectors/ -args -vectors.dir="$$d"

# test-vectors: the loader, every vector against the oracle and the host
# openssl, and Wycheproof, printing the Wycheproof counts.
test-vectors:
	$(GO) test -count=1 ./vectors/
	@out="$$(mktemp)"; trap 'rm -f "$$out"' EXIT; \
	$(GO) test -count=1 -v -run 'AgainstOracle' ./internal/wycheproof/ >"$$out" 2>&1; rc=$$?; \
	grep -E '^ +(wycheproof_test.go|acceptable)|^(ok|FAIL|--- FAIL)|Error|error' "$$out"; exit $$rc

TEST_EXTRA += vectors-check
