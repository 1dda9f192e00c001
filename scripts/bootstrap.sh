#!/usr/bin/env bash
# Installs Node 22 into .tools/ and the workspace's dependencies.
# Idempotent: a second run with nothing changed takes about a second.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
cd "$REPO_ROOT"

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
want="$(cat yarn.lock package.json bench/package.json packages/*/package.json plugins/*/package.json | sha256sum | cut -d' ' -f1) node-$NODE_VERSION"
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
