#!/usr/bin/env bash
# The release up to the publish step, on a fresh clone and with no credentials, and a check of
# every artifact it builds (`npx projen release:check`; test/release/release-check.test.ts runs it).
#
# In a clone of this repository (HEAD, plus the work tree's uncommitted changes), with an
# environment that holds no token, key or password, it runs what projen's release task runs before
# publishing: bump (the release version, dist/changelog.md), compile, package every target into
# dist/ (package-all: js, java, python, go), unbump, and the anti-tamper check (no committed file
# changed). Then it checks each artifact:
#
#   npm     the tarball holds what `npm pack` packs (test/package/tarball.test.ts, run in the clone
#           on the release build) and has the release version
#   PyPI    `twine check --strict` on the wheel and the sdist; each installs into a clean venv
#           (with the minimum aws-cdk-lib and constructs) and imports, at the release version
#   Maven   the POM has what Maven Central requires (coordinates, name, description, url, license,
#           developers, scm); the jar, -sources.jar and -javadoc.jar are there and hold classes,
#           sources and javadoc
#   Go      the module has the release version and builds (`go build ./...`, `go vet`), and the Go
#           example (examples/go) builds against it and synthesizes with the cdk CLI
#
# Downloads come from the package registries (npm, PyPI, Maven Central, the Go module proxy) and
# their local caches. RELEASE_CHECK_KEEP=1 keeps the clone (its dist/ holds the artifacts).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

work=$(mktemp -d "${TMPDIR:-/tmp}/release-check.XXXXXX")
cleanup() {
  if [ "${RELEASE_CHECK_KEEP:-}" = 1 ]; then echo "== kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap '[ "$BASHPID" = "$$" ] && echo "error: the release check failed (line $LINENO). Reproduce with: RELEASE_CHECK_KEEP=1 ./scripts/release-check.sh" >&2' ERR

step() { echo ""; echo "== $* (${SECONDS}s)"; }
ok() { echo "   ok: $*"; }
fail() { echo "error: $*" >&2; exit 1; }

# ---- a fresh clone ------------------------------------------------------------------------------
clone=$work/clone
step "cloning $(git rev-parse --short HEAD) into $clone"
git clone --quiet --no-local "$root" "$clone"
# the work tree's uncommitted changes, as one local commit (the changelog and the anti-tamper check
# read commits)
git diff HEAD --binary | (cd "$clone" && git apply --whitespace=nowarn --allow-empty)
git ls-files --others --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$clone"
if [ -n "$(git -C "$clone" status --porcelain)" ]; then
  git -C "$clone" add -A
  git -C "$clone" -c user.name=release-check -c user.email=release-check@localhost commit --quiet -m "chore: uncommitted changes (release check)"
  ok "with the work tree's uncommitted changes"
fi

# ---- no credentials -----------------------------------------------------------------------------
# Only what the tools need to find themselves, their caches and the certificate authorities a
# network behind a TLS proxy adds; no token, key or password.
keep=(HOME PATH LANG LC_ALL TERM TMPDIR GOPATH GOMODCACHE GOCACHE GOPROXY GOFLAGS GOTOOLCHAIN
  PYENV_ROOT PYENV_VERSION JAVA_HOME npm_config_cache PIP_CACHE_DIR
  NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE CURL_CA_BUNDLE PIP_CERT GIT_SSL_CAINFO)
clean_env=()
for name in "${keep[@]}"; do
  [ -n "${!name:-}" ] && clean_env+=("$name=${!name}")
done
run() { (cd "$clone" && env -i "${clean_env[@]}" "$@"); }
for secret in NPM_TOKEN NODE_AUTH_TOKEN TWINE_USERNAME TWINE_PASSWORD MAVEN_USERNAME MAVEN_PASSWORD \
  MAVEN_GPG_PRIVATE_KEY GO_GITHUB_TOKEN GITHUB_TOKEN NUGET_API_KEY AWS_ACCESS_KEY_ID; do
  run bash -c "[ -z \"\${$secret:-}\" ]" || fail "$secret reached the release environment"
done

# ---- the release, up to publishing --------------------------------------------------------------
step "dependencies (npm ci)"
run bash scripts/ensure-deps.sh

step "the release version (npx projen bump)"
# the release task's environment (.projen/tasks.json), without CI so package-all builds every target
run env RELEASE=true MAJOR=0 npx projen bump
version=$(cat "$clone/dist/version.txt")
tag=$(cat "$clone/dist/releasetag.txt")
[[ "$version" =~ ^0\.[0-9]+\.[0-9]+$ ]] || fail "the release version is '$version'"
[ "$version" != 0.0.0 ] || fail "the release version is 0.0.0"
[ "$tag" = "v$version" ] || fail "the release tag is '$tag', not v$version"
[ -s "$clone/dist/changelog.md" ] && grep -q "^## $version" "$clone/dist/changelog.md" || fail "dist/changelog.md has no section for $version"
if ! git -C "$clone" rev-parse --verify --quiet "refs/tags/v0.1.0" >/dev/null; then
  [ "$version" = 0.1.0 ] || fail "the first release is $version, not 0.1.0"
fi
ok "version $version, tag $tag, dist/changelog.md"

step "build and package every target (compile, post-compile, package-all)"
run env RELEASE=true npx projen compile
run env RELEASE=true npx projen post-compile
run env RELEASE=true npx projen package-all

step "unbump and the anti-tamper check"
run npx projen unbump
run git diff --ignore-space-at-eol --exit-code
ok "no committed file changed"

dist=$clone/dist
ls -R "$dist" | sed -n '1,200p' > "$work/dist.txt"

# ---- npm ----------------------------------------------------------------------------------------
step "npm: dist/js"
tgz=$dist/js/cdk-bedrock-encryption@$version.jsii.tgz
[ -f "$tgz" ] || fail "no $tgz (dist/js: $(ls "$dist/js" 2>/dev/null))"
[ "$(tar -xzOf "$tgz" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf-8")).version')" = "$version" ] ||
  fail "the tarball's package.json is not version $version"
[ "$(tar -xzOf "$tgz" package/.jsii | node -p 'JSON.parse(require("fs").readFileSync(0, "utf-8")).version')" = "$version" ] ||
  fail "the tarball's .jsii is not version $version"
# the tarball's files are the ones test/package/tarball.test.ts checks (npm pack on the release build)
tar -tzf "$tgz" | sed 's|^package/||' | sort > "$work/tarball.txt"
run npm pack --dry-run --json --ignore-scripts 2>/dev/null |
  node -e 'for (const f of JSON.parse(require("fs").readFileSync(0, "utf-8"))[0].files) console.log(f.path)' | sort > "$work/pack.txt"
diff "$work/pack.txt" "$work/tarball.txt" || fail "the tarball's files differ from what npm pack packs"
run env JSII_DEPRECATED=fail npx jest --ci --coverage=false test/package/tarball.test.ts
ok "$(basename "$tgz"): $(wc -l < "$work/tarball.txt") files, version $version"

# ---- PyPI ---------------------------------------------------------------------------------------
step "PyPI: dist/python"
wheel=$dist/python/cdk_bedrock_encryption-$version-py3-none-any.whl
sdist=$dist/python/cdk_bedrock_encryption-$version.tar.gz
[ -f "$wheel" ] || fail "no $wheel (dist/python: $(ls "$dist/python" 2>/dev/null))"
[ -f "$sdist" ] || fail "no $sdist"
pip() { "$1/bin/python" -m pip --disable-pip-version-check --no-input --quiet "${@:2}"; }
run python3 -m venv "$work/twine"
pip "$work/twine" install twine
run "$work/twine/bin/twine" check --strict "$wheel" "$sdist"
# the minimum supported aws-cdk-lib and constructs, as the Python example pins them
mapfile -t pins < <(grep -E '^(aws-cdk-lib|constructs)==' examples/python/requirements.txt)
[ "${#pins[@]}" = 2 ] || fail "examples/python/requirements.txt pins no aws-cdk-lib and constructs"
for kind in wheel sdist; do
  artifact=${!kind}
  venv=$work/venv-$kind
  run python3 -m venv "$venv"
  pip "$venv" install "${pins[@]}" "$artifact"
  run "$venv/bin/python" - "$version" "$kind" <<'PY'
import sys
from importlib.metadata import metadata, version
import cdk_bedrock_encryption
from cdk_bedrock_encryption import BedrockKey, EncryptedAgent, policy
meta = metadata("cdk-bedrock-encryption")
assert version("cdk-bedrock-encryption") == sys.argv[1], version("cdk-bedrock-encryption")
assert meta["License"] or meta["License-Expression"] or "Apache" in str(meta.get_all("Classifier")), "no license"
assert meta["Home-page"] or meta.get_all("Project-URL"), "no project URL"
print(f"   {sys.argv[2]}: installed in a clean venv, imported cdk_bedrock_encryption {version('cdk-bedrock-encryption')}")
PY
done
ok "twine check --strict; the wheel and the sdist install and import, version $version"

# ---- Maven Central -------------------------------------------------------------------------------
step "Maven Central: dist/java"
base=$dist/java/io/github/cdk-bedrock-encryption/cdk-bedrock-encryption/$version/cdk-bedrock-encryption-$version
for file in "$base.pom" "$base.jar" "$base-sources.jar" "$base-javadoc.jar"; do
  [ -s "$file" ] || fail "no $file"
done
python3 - "$base.pom" "$version" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse(sys.argv[1]).getroot()
def text(path):
    el = pom.find(path, ns)
    return (el.text or "").strip() if el is not None else ""
required = {
    "groupId": "m:groupId", "artifactId": "m:artifactId", "version": "m:version", "name": "m:name",
    "description": "m:description", "url": "m:url", "license name": "m:licenses/m:license/m:name",
    "license url": "m:licenses/m:license/m:url", "scm connection": "m:scm/m:connection", "scm url": "m:scm/m:url",
}
missing = [k for k, p in required.items() if not text(p)]
# a developer with a name, or an organization (as aws-cdk-lib's POM on Maven Central has it)
if not (text("m:developers/m:developer/m:name") or text("m:developers/m:developer/m:organization")):
    missing.append("developer name or organization")
assert not missing, f"the POM lacks what Maven Central requires: {missing}"
assert text("m:groupId") == "io.github.cdk-bedrock-encryption", text("m:groupId")
assert text("m:artifactId") == "cdk-bedrock-encryption", text("m:artifactId")
assert text("m:version") == sys.argv[2], text("m:version")
assert "Apache" in text("m:licenses/m:license/m:name"), text("m:licenses/m:license/m:name")
assert text("m:url").startswith("https://github.com/cdk-bedrock-encryption/cdk-bedrock-encryption"), text("m:url")
print("   POM: " + ", ".join(f"{k}={text(p)}" for k, p in required.items() if k in ("groupId", "artifactId", "version", "license name", "url")))
PY
# the entries listed to a file first: `grep -q` stops reading early, and pipefail would take unzip's
# SIGPIPE for a missing entry
jar_has() {
  unzip -Z1 "$1" > "$work/entries.txt"
  grep -Eq "$2" "$work/entries.txt" || fail "$(basename "$1") has no entry matching $2"
}
jar_has "$base.jar" '^io/github/cdkbedrockencryption/BedrockKey\.class$'
jar_has "$base.jar" '\.jsii\.tgz$'
jar_has "$base-sources.jar" '^io/github/cdkbedrockencryption/BedrockKey\.java$'
jar_has "$base-javadoc.jar" '^index\.html$'
ok "the POM, the jar, -sources.jar and -javadoc.jar, version $version"

# ---- Go -----------------------------------------------------------------------------------------
step "Go: dist/go"
module=$dist/go/cdkbedrockencryption
[ -f "$module/go.mod" ] || fail "no $module/go.mod"
grep -q '^module github.com/cdk-bedrock-encryption/cdk-bedrock-encryption-go/cdkbedrockencryption$' "$module/go.mod" ||
  fail "$module/go.mod names another module: $(head -1 "$module/go.mod")"
[ "$(tr -d '[:space:]' < "$module/version")" = "$version" ] || fail "$module/version is not $version"
# as a consumer resolves it: go.sum in a scratch module file, so dist/go stays as published
cp "$module/go.mod" "$work/check.go.mod"
run env -C "$module" go mod tidy -modfile="$work/check.go.mod"
run env -C "$module" go build -modfile="$work/check.go.mod" ./...
run env -C "$module" go vet -modfile="$work/check.go.mod" ./...
ok "go build ./... and go vet of the module, version $version"
run env -C examples/go go build -o /dev/null .
run env -C examples/go npx cdk synth --quiet --output "$work/cdk.out-go"
[ -s "$work/cdk.out-go/SupportAssistant.template.json" ] || fail "the Go example synthesized no template"
ok "the Go example builds against the module and synthesizes ($(node -p "Object.keys(require('$work/cdk.out-go/SupportAssistant.template.json').Resources).length") resources)"

echo ""
echo "release check: $version ($tag) built and checked for npm, PyPI, Maven Central and Go"
