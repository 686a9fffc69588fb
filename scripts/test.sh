#!/usr/bin/env bash
# The one test command (README, .ci/run): provisions real Redis and PostgreSQL when none is
# reachable, installs dependencies, then lint, type check and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# shellcheck source=scripts/services.sh
source scripts/services.sh
ensure_redis
ensure_postgres
ensure_chromium
ensure_chattr
echo "test: REDIS_URL=$REDIS_URL DATABASE_URL=$DATABASE_URL"

npm run --silent lint
npm run --silent typecheck
npx vitest run "$@"
