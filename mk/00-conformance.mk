# The main job: `kmsconform run` on the defaults (host openssl and the
# oracle as producer and consumer, the in-process KMS fake); junit.xml,
# results.json and the summary in $(REPORT)/.
CONFORMANCE_CMD ?= mkdir -p $(REPORT) && $(BIN) run --report $(REPORT)
