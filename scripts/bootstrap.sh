#!/usr/bin/env bash
# Installs Node 22 into .tools/ and the workspace's dependencies.
# Idempotent: a second run with nothing changed takes about a second.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
cd "$REPO_ROOT"

# What the scripts call and a bare Debian may lack: a compiler for the native
# addons (their prebuilt binaries come from GitHub, which may be out of
# reach), curl for readiness probes, jq for the Go builds' module metadata.
missing=()
for tool in g++:g++ make:make python3:python3 curl:curl jq:jq; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

if [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo "bootstrap: installing Node $NODE_VERSION into .tools/node"
  # The machine's npm installs it; the package carries the official binary.
  env -u npm_config_nodedir npm install --no-save --no-package-lock \
    --prefix "$TOOLS_DIR/node" "$NODE_PACKAGE@$NODE_VERSION" >/dev/null
fi
node --version | grep -qx "v$NODE_VERSION" || {
  echo "bootstrap: Node $NODE_VERSION is not first on PATH" >&2
  exit 1
}

# Skip the install when the lockfile and manifests are unchanged since the last good one.
stamp="node_modules/.bootstrap-stamp"
want="$(cat yarn.lock .yarnrc.yml package.json bench/package.json packages/*/package.json plugins/*/package.json | sha256sum | cut -d' ' -f1) node-$NODE_VERSION"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: yarn install --immutable"
  yarn install --immutable
  # Yarn only warns when a native addon fails to build; the backend would die later.
  sqlite="node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  if [ ! -f "$sqlite" ]; then
    echo "bootstrap: better-sqlite3 did not build ($sqlite missing)." >&2
    echo "bootstrap: check that npm_config_nodedir=$npm_config_nodedir holds include/node." >&2
    exit 1
  fi
  node -e "require('better-sqlite3')(':memory:').close()" || {
    echo "bootstrap: better-sqlite3 built but does not load under $(node --version)" >&2
    exit 1
  }
  echo "$want" >"$stamp"
fi
echo "bootstrap: ready (node $(node --version), yarn $(yarn --version))"
