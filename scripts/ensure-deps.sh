#!/usr/bin/env bash
# Installs the project's dependencies from the committed lockfile when they are missing or
# stale. Sourced by scripts/demo.sh and scripts/test.sh, so each works on a fresh clone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stamp_of() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }

if [ ! -d node_modules ] || [ "$(cat .deps-stamp 2>/dev/null)" != "$(stamp_of)" ]; then
  echo "== installing dependencies from package-lock.json"
  # `npx projen install:ci` is not available before the install; this is the same step.
  # `npm ci` is not used: this registry omits foreign-platform optional packages, so npm 11
  # writes a lockfile without them and `npm ci` rejects it. `npm install` installs the locked
  # tree; the lockfile must come out unchanged.
  npm install --no-audit --no-fund --loglevel=error
  if git rev-parse --git-dir >/dev/null 2>&1; then
    git diff --exit-code package-lock.json
  fi
  stamp_of > .deps-stamp
fi
