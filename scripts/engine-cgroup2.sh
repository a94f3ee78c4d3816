#!/usr/bin/env bash
# A Docker engine that sees cgroup v2, on a host that runs cgroup v1 (most users' hosts are v2:
# Ubuntu 22.04+, Debian 12+, Fedora, Docker Desktop), so CI runs the lab there too. The kernel has
# the cgroup2 filesystem: in a private mount namespace, cgroup2 is mounted over /sys/fs/cgroup, and
# a containerd and a dockerd of their own start there (the host's engine stays on v1). Every
# controller stays bound to the v1 hierarchies, so this v2 enforces no limits (the lab sets none),
# but systemd in the nodes sees a unified hierarchy and `docker pause` freezes through cgroup.freeze.
#
#   engine-cgroup2.sh start   start it unless it runs; prints the DOCKER_HOST to use
#   engine-cgroup2.sh stop    stop it (bounded waits), by its own pids; its data-root stays (images)
#   engine-cgroup2.sh host    print its DOCKER_HOST
#
# Like scripts/engine2.sh: its own socket, data-root, exec-root, pidfiles, address pool and default
# bridge, and no iptables of its own (an engine that manages iptables rebuilds Docker's chains under
# engine 1's running containers). Nodes of a lab on it reach each other through one rule of its own
# (the host's FORWARD policy is DROP and bridged traffic passes through it); it has no NAT, so what
# its labs need (the base and node images) is copied to it (docker save | docker load).
set -euo pipefail

ROOT=/run/pgha-lab-cg2
SOCKET=$ROOT/docker.sock
PIDFILE=$ROOT/dockerd.pid
CONTAINERD_PIDFILE=$ROOT/containerd.pid
DATA=/var/lib/pgha-lab-cg2
LOG=/var/log/pgha-lab-cg2.log
# Labs on this engine take their subnet from here (CI's: 10.93.0.0/24); distinct from engine 1's
# default pools (172.17-31.x, 192.168.x), engine 2's 10.201/16 and the fixtures' other subnets.
POOL=10.93.0.0/16
# Its own default bridge, with an address. NOT `--bridge none`: an engine started with it deletes
# the interface docker0 at start-up, which is engine 1's default bridge.
BRIDGE=pgha-cg2br
BRIDGE_ADDRESS=10.93.255.1/24
# Accepts traffic within POOL; jumped to from DOCKER-USER, which Docker consults first and never flushes.
CHAIN=PGHA-CG2

# shellcheck source=scripts/engine-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-lib.sh"

host() { echo "unix://$SOCKET"; }

ipt() { iptables -w 10 "$@"; }

admit_pool() {
  if ! ipt -S DOCKER-USER >/dev/null 2>&1; then
    # No engine on this host manages iptables: make the hook Docker would have made.
    ipt -N DOCKER-USER
    ipt -I FORWARD 1 -j DOCKER-USER
  fi
  ipt -S "$CHAIN" >/dev/null 2>&1 || ipt -N "$CHAIN"
  ipt -C "$CHAIN" -s "$POOL" -d "$POOL" -j ACCEPT 2>/dev/null || ipt -A "$CHAIN" -s "$POOL" -d "$POOL" -j ACCEPT
  ipt -C DOCKER-USER -j "$CHAIN" 2>/dev/null || ipt -I DOCKER-USER 1 -j "$CHAIN"
}

forget_pool() {
  # Bounded: start makes one jump.
  for _ in 1 2 3; do ipt -D DOCKER-USER -j "$CHAIN" 2>/dev/null || break; done
  if ipt -S "$CHAIN" >/dev/null 2>&1; then ipt -F "$CHAIN" && ipt -X "$CHAIN"; fi
}

start() {
  if pid_alive "$PIDFILE" && docker -H "$(host)" info >/dev/null 2>&1; then host; return; fi
  # A half-started pair from an earlier run (containerd up, dockerd not) goes first.
  stop_daemons
  grep -qw cgroup2 /proc/filesystems || { echo "this kernel has no cgroup2 filesystem" >&2; exit 1; }
  mkdir -p "$ROOT" "$DATA"
  # Its network store from the last run goes first: at start-up an engine deletes the default
  # network it finds there, and that deletion also took engine 1's docker0 (seen with engine 2).
  rm -f "$DATA/docker/network/files/local-kv.db"
  bridge_up "$BRIDGE" "$BRIDGE_ADDRESS"
  admit_pool
  # The system's /etc/containerd/config.toml points at /var/lib/containerd: this one has its own
  # paths, and no CRI plugin (Kubernetes' API, which Docker does not use).
  cat >"$ROOT/containerd.toml" <<EOF
version = 2
root = "$DATA/containerd"
state = "$ROOT/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ROOT/containerd.sock"
EOF
  # The inner script gets its values as arguments ($1...), expanded there, not here.
  # shellcheck disable=SC2016
  # unshare execs bash, and bash execs dockerd: dockerd's pid is the one setsid started, and it
  # writes it to its pidfile; containerd's is written by the shell that started it.
  setsid unshare -m --propagation private bash -c '
      set -e
      mount -t cgroup2 none /sys/fs/cgroup
      containerd --config "$1/containerd.toml" &
      echo $! >"$2"
      for _ in $(seq 1 60); do [ -S "$1/containerd.sock" ] && break; sleep 0.5; done
      exec dockerd --host "unix://$1/docker.sock" --containerd "$1/containerd.sock" --data-root "$3/docker" \
        --exec-root "$1/exec" --pidfile "$1/dockerd.pid" --bridge "$4" \
        --iptables=false --ip-forward=false --ip-masq=false --default-address-pool "base=$5,size=24"' \
    engine-cgroup2 "$ROOT" "$CONTAINERD_PIDFILE" "$DATA" "$BRIDGE" "$POOL" >"$LOG" 2>&1 </dev/null &
  await_engine "$(host)" 90 'the cgroup v2 engine' "$LOG" || { stop; exit 1; }
}


stop_daemons() {
  stop_pid "$PIDFILE" dockerd
  stop_pid "$CONTAINERD_PIDFILE" containerd
}

stop() {
  stop_daemons
  forget_pool
  bridge_down "$BRIDGE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  host) host ;;
  *) echo "usage: engine-cgroup2.sh start|stop|host" >&2; exit 2 ;;
esac
