# shellcheck shell=bash
# Shared set-up for the seed scripts: sourced, never run.
#
# Environment:
#   AWS_ENDPOINT_URL  KMS endpoint (the aws CLI reads it itself); unset = real AWS
#   AWS_REGION        region (default us-east-1)
#   OPENSSL           openssl binary (default: openssl)
#   AWS               aws CLI binary (default: aws)
#   KEEP_WORKDIR=1    keep the working directory for inspection
set -euo pipefail

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
OPENSSL="${OPENSSL:-openssl}"
AWS="${AWS:-aws}"
export AWS_PAGER=""

for tool in "$AWS" "$OPENSSL" base64 jq fold diff cmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "kmsconform: error: $tool not found on PATH" >&2
		echo "kmsconform: hint: install it (apt-get install awscli openssl jq coreutils diffutils) or set AWS=/OPENSSL=" >&2
		exit 2
	fi
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kmsconform-seed.XXXXXX")"
chmod 700 "$WORK"
CREATED_KEYS=()
CREATED_ALIASES=()

cleanup() {
	local rc=$?
	for a in "${CREATED_ALIASES[@]+"${CREATED_ALIASES[@]}"}"; do
		"$AWS" kms delete-alias --alias-name "$a" --region "$REGION" >/dev/null 2>&1 || true
	done
	for k in "${CREATED_KEYS[@]+"${CREATED_KEYS[@]}"}"; do
		"$AWS" kms schedule-key-deletion --key-id "$k" --pending-window-in-days 7 --region "$REGION" >/dev/null 2>&1 || true
	done
	if [ "${KEEP_WORKDIR:-}" = 1 ]; then
		echo "working directory kept: $WORK" >&2
	else
		rm -rf "$WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT INT TERM
cd "$WORK"

# kms runs `aws kms ...` in the chosen region.
kms() { "$AWS" kms "$@" --region "$REGION"; }

# new_key SPEC USAGE DESCRIPTION prints the KeyId of a new key, deleted on exit.
new_key() {
	local id
	id="$(kms create-key --key-spec "$1" --key-usage "$2" --description "$3" --output json | jq -r '.KeyMetadata.KeyId')"
	CREATED_KEYS+=("$id")
	printf '%s\n' "$id"
}

# unique_alias BASE prints BASE with a suffix, so that reruns never collide.
unique_alias() { printf '%s-%s-%s\n' "$1" "$$" "$(date +%s)"; }

step() { printf '== %s\n' "$*" >&2; }
ok() { printf 'OK: %s\n' "$*"; }
