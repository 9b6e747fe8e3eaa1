#!/usr/bin/env bash
# Runs the first ```sh block under a heading of README.md, as written, from the repository's root:
# CI runs the README's quick starts this way, so they are the commands that work.
#
#   scripts/readme-snippet.sh "Python quick start"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

heading=${1:?usage: scripts/readme-snippet.sh "<README heading>"}
block=$(awk -v heading="$heading" '
  /^#+ / { title = $0; sub(/^#+ /, "", title); inside = (title == heading); next }
  inside && !open && /^```sh$/ { open = 1; next }
  open && /^```$/ { exit }
  open { print }
' README.md)
if [ -z "$block" ]; then
  echo "error: README.md has no \`\`\`sh block under a heading '$heading'" >&2
  exit 1
fi

echo "== README.md, $heading:"
sed 's/^/   /' <<<"$block"
if ! bash -euo pipefail -c "$block"; then
  echo "" >&2
  echo "error: the README's $heading failed. Reproduce it from the repository's root with:" >&2
  sed 's/^/    /' <<<"$block" >&2
  exit 1
fi
