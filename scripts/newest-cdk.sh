#!/usr/bin/env bash
# Runs the jest suite against the newest aws-cdk-lib, constructs and @aws-cdk/aws-bedrock-alpha the
# registry serves. They are installed into .compat-newest/ (ignored by git), apart from the
# project's own dependencies, which pin the minimum supported aws-cdk-lib; jest maps every import
# of them there (test/compat/newest-cdk.jest.config.js). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dir=.compat-newest
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "compat-newest", "private": true }' > "$dir/package.json"
echo "== installing the newest aws-cdk-lib, constructs and @aws-cdk/aws-bedrock-alpha into $dir/"
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error --no-package-lock \
  aws-cdk-lib@latest constructs@latest @aws-cdk/aws-bedrock-alpha@latest)
node -e 'for (const p of ["aws-cdk-lib", "constructs", "@aws-cdk/aws-bedrock-alpha"])
  console.log(`   ${p} ${require(`./'"$dir"'/node_modules/${p}/package.json`).version}`)'

JSII_DEPRECATED=fail npx jest --ci -c test/compat/newest-cdk.jest.config.js "$@"
