# Common set-up for the seed runbooks; sourced, not run.
#   OPENSSL          the openssl to run (default: openssl). May hold words,
#                    e.g. OPENSSL="/path/to/kmsconform openssl".
#   AWS_ENDPOINT_URL the KMS endpoint (unset: real AWS via the aws CLI's own
#                    configuration); AWS_REGION defaults to us-east-1.
# Each script works in a fresh 0700 temporary directory removed on exit,
# prints every command it runs (set -x) and fails on the first error.
set -euo pipefail
umask 077
read -r -a OSSL <<<"${OPENSSL:-openssl}"
openssl() { command "${OSSL[@]}" "$@"; } # `command`: never this function itself
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"
export AWS_PAGER=""
REGION="$AWS_REGION"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kmsconform-seed-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# A unique suffix for aliases, so runs against one endpoint do not collide.
RUN_ID="$(date +%s)-$$"
