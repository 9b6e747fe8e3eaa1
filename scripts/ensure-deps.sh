#!/usr/bin/env bash
# Installs the project's dependencies from the committed lockfile (`npm ci`) when they are missing
# or older than package.json and package-lock.json. Sourced by scripts/demo.sh and scripts/test.sh,
# so each works on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stamp_file=node_modules/.cdk-bedrock-encryption-deps
stamp_of() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }

if [ "$(cat "$stamp_file" 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "== installing dependencies from package-lock.json (npm ci)"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "npm ci failed. If it says package.json and package-lock.json are not in sync, run 'npx projen'" >&2
    echo "(or 'npm install') to update package-lock.json, and commit it." >&2
    exit 1
  fi
  stamp_of > "$stamp_file"
fi
