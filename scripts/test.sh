#!/usr/bin/env bash
# The one test command (README, .ci/run): provisions real Redis and PostgreSQL when none is
# reachable and a docker daemon with the test Hunter's images, installs dependencies, then lint,
# type check and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# shellcheck source=scripts/services.sh
source scripts/services.sh
ensure_redis
ensure_postgres
ensure_chattr
# test/sim/chat-console*.test.ts run in headless chromium. PCV_REQUIRE_BROWSER=1 (CI) makes a
# chromium or emoji font that cannot be installed fail the run; elsewhere those tests are skipped.
if ! ensure_chromium; then
  if [ "${PCV_REQUIRE_BROWSER:-}" = 1 ]; then echo "test: chromium and its emoji font are required (PCV_REQUIRE_BROWSER=1) but $PCV_BROWSER" >&2; exit 1; fi
  echo "test: the browser tests will be skipped: $PCV_BROWSER" >&2
fi
# test/docker/*.test.ts run Hunter in real containers. PCV_REQUIRE_DOCKER=1 (CI) makes a daemon that
# cannot be had fail the run; elsewhere those tests are skipped, saying why.
if ! ensure_docker; then
  if [ "${PCV_REQUIRE_DOCKER:-}" = 1 ]; then echo "test: docker is required (PCV_REQUIRE_DOCKER=1) but $PCV_DOCKER" >&2; exit 1; fi
  echo "test: the real-docker tests will be skipped: docker $PCV_DOCKER" >&2
fi
echo "test: REDIS_URL=$REDIS_URL DATABASE_URL=$DATABASE_URL"

npm run --silent lint
npm run --silent typecheck
npx vitest run "$@"
