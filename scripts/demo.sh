#!/usr/bin/env bash
# Set everything up, then run the pipeline on the bundled sample certificates with the local runtime.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" --no-dev
uv run --no-dev udemy-pipeline run samples/certificates \
  --batch-id samples --links samples/links.csv --catalog samples/catalog.jsonl "$@"
