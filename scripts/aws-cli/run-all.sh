#!/usr/bin/env bash
# Runs every seed script in this directory against AWS_ENDPOINT_URL and
# stops at the first failure.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
for s in "$dir"/seed-*.sh; do
	echo "### $(basename "$s")"
	"$s"
done
