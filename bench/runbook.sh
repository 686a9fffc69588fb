#!/usr/bin/env bash
# The runbook (Phases 0–3) typed as a script: its own commands one after another, the peer a
# person would write instead of pc-verify (bench/real-docker.ts times the two). Exits non-zero at
# the first check that does not hold.
#
#   COMPOSE="docker compose" bench/runbook.sh PROJECT_DIR API_URL POSTGRES_PORT
set -euo pipefail
cd "$1"
api=$2
pg_port=$3
read -r -a compose <<<"${COMPOSE:-docker compose}"
c() { "${compose[@]}" "$@"; }
flag() { sed -i "s/^HUNTER_PARTNER_CENTER_ENABLED=.*/HUNTER_PARTNER_CENTER_ENABLED=$1/" .env; }
# After a restart a person retries curl until the api answers.
health() {
  until curl -fsS "$api/healthz" >/tmp/pcv-runbook-health.$$ 2>/dev/null; do sleep 0.2; done
  grep -q "\"partner_center_enabled\":$1" /tmp/pcv-runbook-health.$$
}
worker_logs() { c logs --no-color worker | grep -i "partner.*center\|feature.*flag\|referral"; }

echo "PHASE 0"
for var in HUNTER_PARTNER_CENTER_ENABLED HUNTER_PARTNER_CENTER_CLIENT_ID \
  HUNTER_PARTNER_CENTER_TENANT_ID HUNTER_PARTNER_CENTER_API_URL; do
  grep -q "^$var=." .env
done
c exec -T api alembic upgrade head
c exec -T postgres psql -h /tmp -p "$pg_port" -U postgres -d postgres -c '\d partner_center_referrals' |
  grep -q 'referral_id .*character varying(255).*not null'

echo "PHASE 1"
flag false
c restart api worker
health false
test "$(curl -s -o /tmp/pcv-runbook-sync.$$ -w '%{http_code}' -X POST "$api/api/referrals/sync" \
  -H 'Content-Type: application/json')" = 400
grep -q 'Partner Center integration is disabled. Enable feature flag to use this endpoint.' /tmp/pcv-runbook-sync.$$
task=$(c exec -T worker celery -A app.core.celery_app call app.core.tasks.sync_partner_center_referrals_task)
c exec -T worker celery -A app.core.celery_app result "$task" | grep -q "'status': 'skipped'"
until worker_logs | tail -20 | grep 'partner_center_sync_skipped' | grep -q 'feature_flag_disabled'; do sleep 0.2; done

echo "PHASE 2"
c exec -T api python3 scripts/setup_partner_center_auth.py
c exec -T api test -f .token_cache
c exec -T api python3 scripts/setup_partner_center_auth.py --silent

echo "PHASE 3"
flag true
c restart api worker
health true
test "$(curl -s -o /tmp/pcv-runbook-sync.$$ -w '%{http_code}' -X POST "$api/api/referrals/sync" \
  -H 'Content-Type: application/json')" = 200
grep -q '"enqueued":true' /tmp/pcv-runbook-sync.$$
task=$(sed -E 's/.*"task_id":"([^"]+)".*/\1/' /tmp/pcv-runbook-sync.$$)
until worker_logs | tail -50 | grep -q "partner_center_sync_completed"; do sleep 0.2; done
logs=$(worker_logs | tail -50)
for event in partner_center_sync_task_started partner_center_sync_started partner_center_fetching_referrals; do
  grep -q "$event" <<<"$logs"
done
if grep -q 'Traceback' <<<"$logs"; then echo 'worker exception' >&2; exit 1; fi
c exec -T worker celery -A app.core.celery_app result "$task" | grep -q "'status': 'success'"
rm -f /tmp/pcv-runbook-health.$$ /tmp/pcv-runbook-sync.$$
echo "Overall Status: PASS"
