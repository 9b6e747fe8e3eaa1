#!/usr/bin/env bash
# projen's nextVersionCommand (.projenrc.ts): the first release is 0.1.0; after it, the commits
# since the latest tag decide (conventional commits; in 0.x a breaking change bumps the minor
# version). projen's bump task runs this with LATEST_TAG, which names a tag that does not exist
# yet before the first release.
set -euo pipefail
if ! git rev-parse --verify --quiet "refs/tags/${LATEST_TAG:-v0.0.0}" >/dev/null; then
  echo 0.1.0
fi
