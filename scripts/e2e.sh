#!/usr/bin/env bash
# Browser test of the embedded demo: builds the frontend, starts the real
# backend serving it on its own port, and drives it with Playwright in
# Debian's Chromium (installed with apt when missing; never downloaded by
# Playwright). Screenshots land in .test-results/screenshots (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/env.sh"
source "$here/lib/apt.sh"
source "$here/lib/processGroup.sh"
cd "$REPO_ROOT"

PORT="${E2E_PORT:-7107}"
URL="http://127.0.0.1:$PORT"
results="$REPO_ROOT/.test-results"
mkdir -p "$results/screenshots"

if ! command -v chromium >/dev/null; then
  echo "e2e: installing Debian's chromium"
  apt_install chromium || exit 1
fi
export CHROMIUM_PATH="$(command -v chromium)"

if curl -s --max-time 5 -o /dev/null "$URL"; then
  echo "e2e: port $PORT is busy; stop what listens there or set E2E_PORT" >&2
  exit 1
fi

echo "e2e: building the frontend"
yarn workspace app build >"$results/e2e-app-build.log" 2>&1 || {
  tail -30 "$results/e2e-app-build.log" >&2
  exit 1
}

echo "e2e: starting the backend on $URL"
log="$results/e2e-backend.log"
(
  cd packages/backend
  export APP_CONFIG_app_baseUrl="$URL" APP_CONFIG_backend_baseUrl="$URL" \
    APP_CONFIG_backend_listen_port="$PORT" APP_CONFIG_backend_listen_host=127.0.0.1 \
    APP_CONFIG_backend_cors_origin="$URL"
  exec setsid "${YARN[@]}" start
) >"$log" 2>&1 &
backend=$!
trap 'stop_group "$backend"' EXIT

for _ in $(seq 1 120); do
  if curl -sf --max-time 5 "$URL/.backstage/health/v1/readiness" >/dev/null; then break; fi
  if ! kill -0 "$backend" 2>/dev/null; then
    echo "e2e: the backend exited; last lines of $log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  sleep 1
done
curl -sf --max-time 5 "$URL/.backstage/health/v1/readiness" >/dev/null || {
  echo "e2e: the backend did not become ready in 120 s; last lines of $log:" >&2
  tail -30 "$log" >&2
  exit 1
}

PLAYWRIGHT_URL="$URL" E2E_REPORT="$results/e2e.json" E2E_SCREENSHOTS="$results/screenshots" \
  node_modules/.bin/playwright test "$@"
