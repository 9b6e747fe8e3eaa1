#!/usr/bin/env bash
# Builds the library for Python and Java users, into .bindings/ (ignored by git):
#
#   scripts/bindings.sh python   the wheel (jsii-pacmak, .bindings/dist/python), and the virtual
#                                environment .bindings/venv with it, aws-cdk-lib and constructs at the
#                                minimum supported versions (examples/python/requirements.txt), and the
#                                linters cfn-lint (the newest) and checkov (test/proof/requirements.txt)
#   scripts/bindings.sh java     the jar (jsii-pacmak, .bindings/dist/java), installed into the Maven
#                                repository .bindings/m2, which also caches aws-cdk-lib from Maven Central
#
# The README's Python and Java quick starts run this, then synthesize the examples with the cdk CLI.
# Later runs reuse the venv (rebuilt when a requirements file changes) and the Maven repository, and
# rebuild the wheel and the jar only when .jsii changed. Delete .bindings/ for a cold run.
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target=${1:-}
case "$target" in
  python | java) ;;
  *) echo "usage: scripts/bindings.sh python|java" >&2; exit 2 ;;
esac
trap 'echo "error: building the $target bindings failed. Reproduce with: ./scripts/bindings.sh $target" >&2' ERR

source scripts/ensure-deps.sh

out=.bindings
version=$(node -p 'require("./package.json").version')

# .jsii, when it is missing or older than the sources
if [ ! -f .jsii ] || [ -n "$(find src package.json -newer .jsii -print -quit)" ]; then
  echo "== compiling the library (npx projen compile)"
  npx projen compile
fi

# The wheel or the jar, by jsii-pacmak, unless it was built from this .jsii already.
package() {
  local jsii_sha stamp=$out/dist/$target/.jsii.sha256
  jsii_sha=$(sha256sum .jsii | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$jsii_sha" ]; then
    echo "== the $target package is up to date with .jsii ($out/dist/$target)"
    return
  fi
  echo "== building the $target package with jsii-pacmak into $out/dist/$target"
  rm -rf "$out/dist/$target"
  npx jsii-pacmak --targets "$target" --outdir "$out/dist" --no-npmignore "$@"
  echo "$jsii_sha" > "$stamp"
}

# Runs the command unless `stamp_file` already holds `stamp`; then records the stamp.
once() {
  local stamp_file=$1 stamp=$2
  shift 2
  [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ] && return
  "$@"
  echo "$stamp" > "$stamp_file"
}

if [ "$target" = python ]; then
  package
  venv=$out/venv
  pip=("$venv/bin/python" -m pip --disable-pip-version-check --no-input --quiet)
  wheel=$(ls "$out/dist/python/"*.whl)
  requirements=(examples/python/requirements.txt test/proof/requirements.txt)
  venv_stamp=$( (python3 --version; cat "${requirements[@]}") | sha256sum | cut -d' ' -f1)

  if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$venv_stamp" ] || [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv: ${requirements[*]} and the wheel, from PyPI"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "${pip[@]}" install "${requirements[@]/#/--requirement=}" "$wheel"
    sha256sum "$wheel" | cut -d' ' -f1 > "$venv/.wheel.sha256"
    echo "$venv_stamp" > "$venv/.requirements.sha256"
  else
    echo "== reusing $venv; cfn-lint: the newest from PyPI"
    "${pip[@]}" install --upgrade cfn-lint ||
      echo "warning: could not upgrade cfn-lint from PyPI; the tests use the one in $venv" >&2
  fi
  # the wheel changes with the library, its dependencies rarely: reinstall it alone, then add any
  # dependency it gained
  once "$venv/.wheel.sha256" "$(sha256sum "$wheel" | cut -d' ' -f1)" \
    "${pip[@]}" install --force-reinstall --no-deps "$wheel"
  "${pip[@]}" check >/dev/null || "${pip[@]}" install "$wheel"
  "$venv/bin/python" - <<'EOF'
from importlib.metadata import version
print("   " + ", ".join(f"{p} {version(p)}" for p in
      ["cdk-bedrock-encryption", "aws-cdk-lib", "constructs", "jsii", "cfn-lint", "checkov"]))
EOF
fi

if [ "$target" = java ]; then
  m2=$out/m2
  package --maven-local-repository "$m2"
  artifact=io/github/cdk-bedrock-encryption/cdk-bedrock-encryption/$version/cdk-bedrock-encryption-$version
  jar=$out/dist/java/$artifact.jar
  echo "== installing $jar into the Maven repository $m2"
  once "$m2/.cdk-bedrock-encryption.sha256" "$(sha256sum "$jar" | cut -d' ' -f1)" \
    mvn --batch-mode --quiet "-Dmaven.repo.local=$m2" \
      org.apache.maven.plugins:maven-install-plugin:3.1.2:install-file \
      "-Dfile=$jar" "-DpomFile=$out/dist/java/$artifact.pom" "-Dsources=$out/dist/java/$artifact-sources.jar"
fi
