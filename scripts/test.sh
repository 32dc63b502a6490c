#!/usr/bin/env bash
# Set everything up, then run every check: lint, format, types, and the whole test suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" --all-groups
echo "== ruff" >&2
uv run ruff check .
uv run ruff format --check .
echo "== mypy" >&2
uv run mypy
echo "== pytest" >&2
uv run pytest "$@"
