# Sourced by scripts/services.sh, or run alone (`bash scripts/docker.sh`): a docker daemon with
# compose v1 and v2 and the images of the test Hunter (test/docker/hunter), for
# test/docker/*.test.ts and bench/real-docker.ts. Builds every image from Debian packages (no
# registry is needed) once per machine: later runs find them up to date by their context's hash.
#
# PCV_DOCKER_DATA_ROOT  dockerd's --data-root when this script starts the daemon (the images live there)
# PCV_BASE_IMAGE        the debootstrapped bookworm image (pcv/bookworm:base); the runtime image
#                       built on it is pcv/hunter-runtime
# PCV_DEBIAN_MIRROR     the mirror debootstrap uses (else the first one in /etc/apt/sources.list.d)

PCV_DOCKER_DATA_ROOT="${PCV_DOCKER_DATA_ROOT:-/var/lib/pcv-docker}"
PCV_BASE_IMAGE="${PCV_BASE_IMAGE:-pcv/bookworm:base}"
# Python, PostgreSQL and Redis; the test Hunter's code is bind-mounted from its project dir.
PCV_RUNTIME_IMAGE="pcv/hunter-runtime"

docker_timed() {
  local label=$1 start; shift; start=$(date +%s)
  "$@" || return
  echo "docker: $label took $(($(date +%s) - start)) s"
}

docker_apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "docker: need root to apt-get install $*" >&2; return 1; fi
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

docker_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] || docker_apt_install "${missing[@]}"
}

docker_debian_mirror() {
  if [ -n "${PCV_DEBIAN_MIRROR:-}" ]; then echo "$PCV_DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')
  [ -n "$uri" ] || uri=$(grep -hE '^deb .*/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1 | awk '{print $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

# Compose v2 for bookworm: the CLI plugin inside Debian trixie's docker-compose package.
docker_compose_v2() {
  docker compose version >/dev/null 2>&1 && return
  if [ "$(id -u)" != 0 ]; then echo "docker: need root to install the compose v2 plugin" >&2; return 1; fi
  local tmp list=/etc/apt/sources.list.d/pcv-trixie.list
  tmp=$(mktemp -d)
  echo "deb $(docker_debian_mirror) trixie main" >"$list"
  local ok=0
  if apt-get update -qq >/dev/null && (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root docker-compose/trixie >/dev/null); then
    dpkg-deb -x "$tmp"/docker-compose_*.deb "$tmp/x" &&
      install -D -m 0755 "$tmp/x/usr/libexec/docker/cli-plugins/docker-compose" \
        /usr/local/lib/docker/cli-plugins/docker-compose && ok=1
  fi
  rm -f "$list"; rm -rf "$tmp"
  apt-get update -qq >/dev/null || true
  [ "$ok" = 1 ] || { echo "docker: could not install the compose v2 plugin from trixie" >&2; return 1; }
}

docker_answers() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

docker_daemon() {
  docker_answers && return
  if [ "$(id -u)" != 0 ]; then echo "docker: no daemon answers and only root may start one" >&2; return 1; fi
  # A daemon that is still starting (or busy) has its pid file: wait for it rather than start another.
  if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    docker_wait_daemon "the running dockerd (pid $(cat /var/run/docker.pid))"; return
  fi
  mkdir -p "$PCV_DOCKER_DATA_ROOT"
  # No systemd here, and no bridge or iptables: every test container uses the host's network.
  nohup dockerd --data-root "$PCV_DOCKER_DATA_ROOT" --iptables=false --bridge=none \
    >"$PCV_DOCKER_DATA_ROOT/dockerd.log" 2>&1 &
  docker_wait_daemon "dockerd (log: $PCV_DOCKER_DATA_ROOT/dockerd.log)" ||
    { tail -n 20 "$PCV_DOCKER_DATA_ROOT/dockerd.log" >&2; return 1; }
}

docker_wait_daemon() {
  local deadline=$(($(date +%s) + 60))
  while [ "$(date +%s)" -lt "$deadline" ]; do docker_answers && return 0; sleep 0.2; done
  echo "docker: $1 did not answer within 60 s" >&2; return 1
}

docker_base_image() {
  docker image inspect "$PCV_BASE_IMAGE" >/dev/null 2>&1 && return
  local rootfs; rootfs=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$rootfs" "$(docker_debian_mirror)" >"$rootfs.log" 2>&1 ||
    { echo "docker: debootstrap failed; its log: $rootfs.log" >&2; tail -n 20 "$rootfs.log" >&2; return 1; }
  # debootstrap unmounts what it mounted; never tar or delete through a mount left behind.
  if grep -q " $rootfs/" /proc/mounts; then echo "docker: $rootfs still has mounts; left in place" >&2; return 1; fi
  tar -C "$rootfs" -c . | docker import - "$PCV_BASE_IMAGE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

# Builds $2 from the folder $1 unless an image of that tag carries the folder's hash.
docker_build_context() {
  local dir=$1 tag=$2 hash; shift 2
  hash=$( (cd "$dir" && find . -type f -not -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)
  [ "$(docker image inspect -f '{{index .Config.Labels "pcv.context"}}' "$tag" 2>/dev/null)" = "$hash" ] && return
  local log; log=$(mktemp)
  # The legacy builder (no buildx here): it still honours --network host for apt-get.
  if ! DOCKER_BUILDKIT=0 docker build --network host --label "pcv.context=$hash" -t "$tag" "$@" "$dir" >"$log" 2>&1; then
    echo "docker: building $tag failed; the end of its log ($log):" >&2; tail -n 30 "$log" >&2; return 1
  fi
  rm -f "$log"
}

docker_images() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/docker/hunter"
  docker_timed "base image $PCV_BASE_IMAGE" docker_base_image || return
  docker_timed "image $PCV_RUNTIME_IMAGE" docker_build_context "$root/runtime" "$PCV_RUNTIME_IMAGE" \
    --build-arg "BASE=$PCV_BASE_IMAGE" || return
}

# The daemon, both compose CLIs and the images; exports PCV_DOCKER=ready, else the reason.
ensure_docker() {
  local start; start=$(date +%s)
  if docker_packages && docker_compose_v2 && docker_daemon && docker_images; then
    export PCV_DOCKER=ready
    echo "docker: ready in $(($(date +%s) - start)) s ($(docker version --format '{{.Server.Version}}'), $(docker compose version --short), compose v1 $(docker-compose version --short 2>/dev/null))"
    return 0
  fi
  export PCV_DOCKER="could not be provisioned (see the docker: lines above)"
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_docker
fi
