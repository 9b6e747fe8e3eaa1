#!/usr/bin/env bash
# The main job: synthesize the example app with the cdk CLI and print which customer managed
# key protects each Bedrock resource. Runs on Node.js 22 (fetched by scripts/node.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/node.sh
use_node 22
source scripts/ensure-deps.sh
npx projen demo
