# Sourced by scripts/test.sh. Uses running Redis/PostgreSQL when REDIS_URL / DATABASE_URL are
# set or the default ports answer; otherwise installs Debian's packages and starts private
# instances (Redis under .tmp/, PostgreSQL under /tmp/pcv-test-pg, owned by the postgres user).

# shellcheck source=scripts/docker.sh
source "$(dirname "${BASH_SOURCE[0]}")/docker.sh"

probe() { node scripts/probe.mjs "$@" >/dev/null 2>&1; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "services: need root to apt-get install $*" >&2; return 1; fi
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_redis() {
  # Always: test/runs/redis-outage.test.ts starts (and restarts) a redis-server of its own, and
  # test/runs/redis-cluster.test.ts three cluster-enabled ones joined with `redis-cli --cluster create`,
  # test/runs/redis-sentinel.test.ts a primary and a `redis-server --sentinel`.
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-cli >/dev/null || apt_install redis-tools
  if [ -n "${REDIS_URL:-}" ] && probe redis "$REDIS_URL"; then return; fi
  if probe redis redis://127.0.0.1:6379; then export REDIS_URL=redis://127.0.0.1:6379; return; fi
  local port=6391 dir; dir="$PWD/.tmp/redis"; mkdir -p "$dir"
  if ! probe redis "redis://127.0.0.1:$port"; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
  fi
  export REDIS_URL="redis://127.0.0.1:$port"
  wait_for redis "$REDIS_URL"
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ] && probe pg "$DATABASE_URL"; then return; fi
  if probe pg postgres://postgres@127.0.0.1:5432/postgres; then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres; return
  fi
  local bindir; bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bindir" ]; then apt_install postgresql; bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  # Outside the checkout: the cluster runs as the postgres user, who may not reach a clone under /root.
  local port=5441 dir="${PCV_PG_DIR:-/tmp/pcv-test-pg}"; mkdir -p "$dir"
  local url="postgres://postgres@127.0.0.1:$port/postgres"
  if ! probe pg "$url"; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    local run=(); if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); chown postgres "$dir"; fi
    [ -f "$dir/data/PG_VERSION" ] || "${run[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  export DATABASE_URL="$url"
  wait_for pg "$DATABASE_URL"
}

ensure_chattr() {
  # As root, test/runs/kill-switch-permissions.test.ts makes an env file immutable (chattr +i):
  # root ignores file modes, so that is how the kernel refuses root a write.
  [ "$(id -u)" != 0 ] || command -v chattr >/dev/null || apt_install e2fsprogs
}

ensure_chromium() {
  # test/sim/chat-console*.test.ts drive Debian's chromium with playwright-core (no browser
  # download). Debian's chromium has no emoji font: without fonts-noto-color-emoji the console
  # draws the bot's emoji as empty boxes, and those tests fail on it. Returns 1 when either is
  # missing; PCV_BROWSER says which.
  local missing=()
  [ -x /usr/bin/chromium ] || apt_install chromium || missing+=(chromium)
  [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || apt_install fonts-noto-color-emoji ||
    missing+=(fonts-noto-color-emoji)
  if [ ${#missing[@]} -eq 0 ]; then PCV_BROWSER=ready; return 0; fi
  PCV_BROWSER="${missing[*]} could not be installed (apt-get install ${missing[*]})"
  return 1
}

wait_for() {
  for _ in $(seq 1 100); do probe "$1" "$2" && return 0; sleep 0.2; done
  echo "services: $1 at $2 did not answer within 20 s" >&2; return 1
}
