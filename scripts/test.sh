#!/usr/bin/env bash
# Every check: projen and API.md drift, jsii compile with zero warnings, jest, eslint, and the
# Python and Java bindings (code generation and Python byte-compilation).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-deps.sh
npx projen ci
