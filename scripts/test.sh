#!/usr/bin/env bash
# Every check: jsii compile with zero warnings, type-check, the Python and Java bindings, jest
# (with JSII_DEPRECATED=fail), eslint, the integ snapshots, and the jest suite again on the newest
# aws-cdk-lib, all on Node.js 22; then the whole jest suite again on Node.js 24 (both fetched by
# scripts/node.sh). Runs on a work tree with uncommitted changes.
#
# The run regenerates projen's files, API.md and eslint's fixes. What it changed is listed at the
# end, after every test has run: a warning on a contributor's machine (commit the files), an
# error in CI (CI=true), where the committed files must already be up to date.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
use_node 22
source scripts/ensure-deps.sh

# The work tree as a git tree object (tracked and untracked files, .gitignore respected), without
# touching the index.
worktree() {
  local index
  index=$(mktemp)
  cp "$(git rev-parse --git-dir)/index" "$index" 2>/dev/null || rm -f "$index"
  GIT_INDEX_FILE="$index" git add -A . >/dev/null
  GIT_INDEX_FILE="$index" git write-tree
  rm -f "$index"
}

in_git=false
git rev-parse --git-dir >/dev/null 2>&1 && in_git=true
$in_git && before=$(worktree)

status=0
npx projen ci || status=$?

# Node.js 24: the jest suite on the minimum aws-cdk-lib, on what the Node.js 22 run built (lib/,
# the bindings, the examples' templates); its JUnit report is test-reports/junit-node24.xml. The
# release check (test/release/release-check.test.ts) builds the artifacts with the Node.js 22
# toolchain and ran there: it is not run again.
echo ""
use_node 24
rm -f test-reports/junit-node24.xml
JEST_JUNIT_OUTPUT_NAME=junit-node24.xml JSII_DEPRECATED=fail npx jest --ci --coverage=false \
  --testPathIgnorePatterns /node_modules/ /test/release/release-check || status=$?

if $in_git; then
  after=$(worktree)
  if [ "$before" != "$after" ]; then
    echo ""
    echo "== The test run regenerated these files (projen from .projenrc.ts, API.md, docs/POLICIES.md, eslint --fix):"
    git diff --stat "$before" "$after" | sed 's/^/   /'
    if [ "${CI:-}" = "true" ]; then
      echo "error: generated files are out of date. Run ./scripts/test.sh (or 'npx projen', 'npx projen docgen', 'npx projen docs'," >&2
      echo "'npx projen eslint') and commit the result." >&2
      [ "$status" = 0 ] && status=1
    else
      echo "warning: these files are now up to date in your work tree; commit them with your change."
    fi
  fi
fi
exit "$status"
