#!/usr/bin/env bash
# Installs moto 5.1.1 (server mode: SQS, Secrets Manager, KMS, SSM, IAM/STS, DynamoDB) into
# .local/moto/ without touching the system (see /work/shared/LOCAL-INFRA.md):
#   - python3-moto comes from Debian trixie, every Python dependency from the machine's own release
#     (bookworm), resolved by apt and fetched with `apt-get download`;
#   - apt runs with its own sources, pins, lists and cache under .local/apt, so the system's apt
#     configuration is neither read for sources nor changed;
#   - each .deb is unpacked with `dpkg -x` into .local/moto/root (no root install, no dpkg database);
#   - moto's API Gateway backends (the HTTP API of terraform/) import openapi_spec_validator when they
#     load. Debian's python3-openapi-spec-validator is installed where the release's Python can run
#     it; otherwise a placeholder module stands in (see OPENAPI_PLACEHOLDER below).
# Run it as:  PYTHONPATH=.local/moto/root/usr/lib/python3/dist-packages \
#               /usr/bin/python3 -m moto.server -H 127.0.0.1 -p 5000
# Idempotent: once installed (a marker named after the package set) it returns at once; a changed
# package set installs again. Safe to run concurrently (flock).
set -euo pipefail

MOTO_VERSION=5.1.1
PYTHON=/usr/bin/python3 # Debian's python: a pyenv python on PATH would not match Debian's .debs

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$ROOT_DIR/.local"
MOTO_DIR="$LOCAL_DIR/moto"

# moto's Depends, plus what its server and our services (SQS, Secrets Manager, KMS, SSM,
# IAM/STS, DynamoDB) import at runtime, plus the optional backends listed in LOCAL-INFRA.md.
WANTED=(
  python3-moto python3-flask-cors python3-yaml python3-pyparsing
  python3-docker python3-jsondiff python3-multipart python3-simplejson python3-ply
  python3-decorator python3-jsonschema python3-attr python3-pyrsistent python3-lazy-object-proxy
  python3-antlr4 python3-asgiref python3-wrapt python3-aws-xray-sdk python3-websocket
  python3-promise python3-rx python3-graphql-core
)

# moto imports openapi_spec_validator at the top of its apigateway backend, which serves API Gateway
# v1 and v2 (CreateApi, routes, integrations, authorizers, stages), and calls it only to validate an
# OpenAPI document given to ImportRestApi/PutRestApi. Debian packages it from trixie on only, built
# against python3-rpds-py for Python >= 3.13; bookworm (Python 3.11) and bookworm-backports have no
# version of it. Where apt cannot install it for this Python, this module stands in: the backends
# load, and an OpenAPI import fails loudly instead of passing unvalidated.
OPENAPI_PACKAGE=python3-openapi-spec-validator
OPENAPI_PLACEHOLDER='"""Placeholder written by scripts/ensure-moto.sh: Debian has no openapi-spec-validator
for this Python. moto imports it at load and calls it only for OpenAPI imports."""


class OpenAPIValidationError(Exception):
    pass


def validate(spec, *args, **kwargs):
    raise NotImplementedError(
        "openapi-spec-validator is not installed (scripts/ensure-moto.sh): "
        "moto cannot validate OpenAPI imports on this machine"
    )


validate_spec = validate
'

# The marker names the package set, so a changed list (or placeholder) installs again.
INSTALL_ID="$(printf '%s\n' "${WANTED[@]}" "$OPENAPI_PACKAGE" "$OPENAPI_PLACEHOLDER" | sha256sum | cut -c1-12)"
MARKER="$MOTO_DIR/installed-$MOTO_VERSION-$INSTALL_ID"
SITE_DIR="$MOTO_DIR/root/usr/lib/python3/dist-packages"

if [[ -f "$MARKER" ]]; then
  echo "moto $MOTO_VERSION: already installed in .local/moto"
  exit 0
fi

say() { echo "moto $MOTO_VERSION: $* (${SECONDS}s)"; }
fail() {
  echo "moto $MOTO_VERSION: ERROR: $*" >&2
  exit 1
}

for tool in apt-get dpkg flock; do
  command -v "$tool" >/dev/null || fail "'$tool' not found: this script needs a Debian machine"
done
[[ -x "$PYTHON" ]] || fail "$PYTHON not found: install Debian's python3 (apt-get install python3)"

mkdir -p "$LOCAL_DIR"
exec 9>"$LOCAL_DIR/moto.lock"
flock 9
if [[ -f "$MARKER" ]]; then # another run installed it while we waited for the lock
  echo "moto $MOTO_VERSION: already installed in .local/moto"
  exit 0
fi

# shellcheck source=/dev/null
BASE_SUITE="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
[[ -n "$BASE_SUITE" ]] || BASE_SUITE=bookworm
# The archive addresses come from the machine's own apt sources (deb822 or one-line format), so the
# script uses whatever mirror the machine is set up with; DEBIAN_MIRROR/DEBIAN_SECURITY_MIRROR override.
apt_uri() { # $1: suite to look for, e.g. bookworm or bookworm-security
  local suite="$1"
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$suite" '
    /^URIs:/ { uri=$2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) print uri }' || true
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -E '^deb ' |
    sed -E 's/\[[^]]*\] //' | awk -v s="$suite" '$3 == s { print $2 }' || true
}
MIRROR="${DEBIAN_MIRROR:-$(apt_uri "$BASE_SUITE" | head -n 1)}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-$(apt_uri "$BASE_SUITE-security" | head -n 1)}"
[[ -n "$MIRROR" ]] || fail "no apt source for $BASE_SUITE found in /etc/apt; set DEBIAN_MIRROR"
[[ -n "$SECURITY_MIRROR" ]] || SECURITY_MIRROR="$MIRROR-security"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$KEYRING" ]] || fail "$KEYRING not found (package debian-archive-keyring)"

APT_DIR="$LOCAL_DIR/apt"
mkdir -p "$APT_DIR"/{lists/partial,cache/archives/partial,sources.list.d,preferences.d}
: >"$APT_DIR/status" # an empty dpkg status: resolve the full dependency set, whatever the system has

{
  echo "deb [signed-by=$KEYRING] $MIRROR $BASE_SUITE main"
  echo "deb [signed-by=$KEYRING] $SECURITY_MIRROR $BASE_SUITE-security main"
  if [[ "$BASE_SUITE" != trixie ]]; then
    echo "deb [signed-by=$KEYRING] $MIRROR trixie main"
  fi
} >"$APT_DIR/sources.list"

# Everything from the machine's release, except python3-moto which only trixie has.
cat >"$APT_DIR/preferences" <<EOF
Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: python3-moto
Pin: release n=trixie
Pin-Priority: 990
EOF

APT_OPTS=(
  -q
  -o "Dir::State::Lists=$APT_DIR/lists"
  -o "Dir::State::status=$APT_DIR/status"
  -o "Dir::Etc::SourceList=$APT_DIR/sources.list"
  -o "Dir::Etc::SourceParts=$APT_DIR/sources.list.d"
  -o "Dir::Etc::Preferences=$APT_DIR/preferences"
  -o "Dir::Etc::PreferencesParts=$APT_DIR/preferences.d"
  -o "Dir::Cache=$APT_DIR/cache"
  -o "Dir::Cache::pkgcache=pkgcache.bin" # Debian's docker images turn the cache off; build it once
  -o "Dir::Cache::srcpkgcache=srcpkgcache.bin"
  -o "Acquire::Languages=none"
)
if [[ "$(id -u)" == 0 ]]; then
  # apt drops to _apt for downloads, which cannot write into the project folder
  APT_OPTS+=(-o "APT::Sandbox::User=root")
fi
export DEBIAN_FRONTEND=noninteractive

say "updating package lists ($BASE_SUITE + trixie) in .local/apt"
apt-get "${APT_OPTS[@]}" update </dev/null >"$APT_DIR/update.log" 2>&1 ||
  fail "apt-get update failed: $(tail -5 "$APT_DIR/update.log")"

say "resolving dependencies"
openapi=package
if ! plan="$(apt-get "${APT_OPTS[@]}" install --simulate --no-install-recommends "${WANTED[@]}" "$OPENAPI_PACKAGE" </dev/null 2>&1)"; then
  openapi=placeholder # e.g. bookworm: trixie's package needs Python >= 3.13
  plan="$(apt-get "${APT_OPTS[@]}" install --simulate --no-install-recommends "${WANTED[@]}" </dev/null 2>&1)" ||
    fail "apt could not resolve moto's dependencies: $plan"
fi
# "Inst python3-moto (5.1.1-4 Debian:13.7/stable [all])" -> python3-moto=5.1.1-4. Only Python
# libraries: the interpreter and the C libraries come from the system.
mapfile -t packages < <(awk '/^Inst python3-/ && $2 != "python3-minimal" && $2 != "python3-distutils" &&
  $2 != "python3-lib2to3" { v = $3; gsub(/[()]/, "", v); print $2 "=" v }' <<<"$plan")
moto_pkg="$(printf '%s\n' "${packages[@]}" | grep '^python3-moto=' || true)"
[[ "$moto_pkg" == "python3-moto=$MOTO_VERSION-"* ]] ||
  fail "trixie offers '${moto_pkg:-no python3-moto}', not $MOTO_VERSION"

DEB_DIR="$APT_DIR/debs"
rm -rf "$DEB_DIR"
mkdir -p "$DEB_DIR"
say "downloading ${#packages[@]} packages ($moto_pkg)"
(cd "$DEB_DIR" && apt-get "${APT_OPTS[@]}" download "${packages[@]}" </dev/null >"$APT_DIR/download.log" 2>&1) ||
  fail "apt-get download failed: $(tail -5 "$APT_DIR/download.log")"

say "unpacking into .local/moto/root"
NEW_ROOT="$MOTO_DIR/root.new"
rm -rf "$NEW_ROOT"
mkdir -p "$NEW_ROOT"
for deb in "$DEB_DIR"/*.deb; do
  dpkg -x "$deb" "$NEW_ROOT"
done
if [[ "$openapi" == placeholder ]]; then
  say "no $OPENAPI_PACKAGE for this Python: writing the placeholder module"
  mkdir -p "$NEW_ROOT/usr/lib/python3/dist-packages/openapi_spec_validator/validation"
  printf '%s' "$OPENAPI_PLACEHOLDER" >"$NEW_ROOT/usr/lib/python3/dist-packages/openapi_spec_validator/__init__.py"
  printf 'from openapi_spec_validator import OpenAPIValidationError  # noqa: F401\n' \
    >"$NEW_ROOT/usr/lib/python3/dist-packages/openapi_spec_validator/validation/exceptions.py"
  : >"$NEW_ROOT/usr/lib/python3/dist-packages/openapi_spec_validator/validation/__init__.py"
fi

say "checking that moto's server and backends import"
PYTHONPATH="$NEW_ROOT/usr/lib/python3/dist-packages" "$PYTHON" -W ignore -c '
import sys, moto
assert moto.__version__ == sys.argv[1], moto.__version__
import moto.server
for name in ("sqs", "secretsmanager", "kms", "ssm", "iam", "sts", "dynamodb", "apigateway", "apigatewayv2",
             "awslambda", "cloudformation"):
    __import__(f"moto.{name}.responses")
' "$MOTO_VERSION" </dev/null || fail "moto does not import with $PYTHON (see the error above)"

# Swap in the new tree with two renames, so a moto started meanwhile finds one tree or the other.
rm -rf "$MOTO_DIR/root.old" "$DEB_DIR"
[[ ! -d "$MOTO_DIR/root" ]] || mv "$MOTO_DIR/root" "$MOTO_DIR/root.old"
mv "$NEW_ROOT" "$MOTO_DIR/root"
rm -rf "$MOTO_DIR/root.old"
printf '%s\n' "${packages[@]}" "openapi_spec_validator: $openapi" >"$MARKER"
say "installed; run: PYTHONPATH=${SITE_DIR#"$ROOT_DIR"/} $PYTHON -m moto.server -H 127.0.0.1 -p 5000"
