#!/usr/bin/env bash
# Starts the portal with the embedded demo: backend on :7007, frontend on
# http://localhost:3000, guest sign-in, fixture clusters (no cluster needed).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/bootstrap.sh"
source "$here/lib/env.sh"
cd "$REPO_ROOT"
exec "${YARN[@]}" start "$@"
