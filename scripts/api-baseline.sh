#!/usr/bin/env bash
# Sets the API baseline that `npx projen compat` compares the library with (jsii-diff): the jsii
# assembly of the last release, in .api-baseline/ (.jsii and a package.json that names it, so
# jsii-diff finds aws-cdk-lib and constructs from the project's node_modules). Empties
# .compatignore, the breaking changes declared since the previous baseline.
#
#   scripts/api-baseline.sh                        the assembly of the work tree (.jsii, npx projen compile)
#   scripts/api-baseline.sh dist/js/<package>.tgz  the assembly in a release's npm tarball
#
# See README, "Releases".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source=${1:-.jsii}
dir=.api-baseline
mkdir -p "$dir"
case "$source" in
  *.tgz) tar -xzOf "$source" package/.jsii > "$dir/.jsii" ;;
  *) [ -f "$source" ] || { echo "error: $source not found (npx projen compile writes .jsii)" >&2; exit 1; }
     cp "$source" "$dir/.jsii" ;;
esac

node - "$dir" <<'JS'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf-8'));
const project = require(path.resolve('package.json'));
// its own name: two package.json files of one name in the repository confuse jest's module map
const manifest = {
  name: `${assembly.name}-api-baseline`,
  version: assembly.version,
  description: 'The public API that `npx projen compat` compares the library with (jsii-diff). Written by scripts/api-baseline.sh; see README, "Releases".',
  private: true,
  peerDependencies: project.peerDependencies,
  jsii: { outdir: 'dist', targets: project.jsii.targets },
};
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`${dir}: the API of ${assembly.name} ${assembly.version} (${Object.keys(assembly.types ?? {}).length} types)`);
JS

cat > .compatignore <<'TXT'
# Breaking changes to the public API declared since the baseline (.api-baseline), one jsii-diff key
# a line, as `npx projen compat` prints them. The commit that adds a key says BREAKING CHANGE: in
# its footer. scripts/api-baseline.sh empties this file when a release becomes the baseline.
TXT
echo ".compatignore: emptied"
