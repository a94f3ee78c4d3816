#!/usr/bin/env bash
# A second Docker engine on this machine, for the workshop's tests and bench (two engines, one host).
# It has its own socket, data-root, exec-root, pidfile, address pool and default bridge, and does
# not touch iptables (engine 1 owns the host's Docker chains; starting a second engine that manages
# iptables would rebuild them under engine 1's running containers). The workshop's own rules admit
# traffic within each seat. It is stopped by the pid in ITS pidfile, never by name.
#
#   engine2.sh start    start it unless it runs; prints the DOCKER_HOST to use
#   engine2.sh stop     stop it (bounded wait), by its own pid
#   engine2.sh host     print its DOCKER_HOST
set -euo pipefail

ROOT=/run/pgha-lab-engine2
SOCKET=$ROOT/docker.sock
PIDFILE=$ROOT/dockerd.pid
DATA=/var/lib/pgha-lab-engine2
LOG=/var/log/pgha-lab-engine2.log
# Distinct from engine 1's default pools (172.17-31.x, 192.168.x) and from the workshop pool 10.100/16.
POOL=10.201.0.0/16
# Its own default bridge. NOT `--bridge none`: an engine started with it deletes the interface
# docker0 at start-up, which is engine 1's default bridge (seen here: engine 1's `docker run` failed
# with "could not find bridge docker0" until it was made again by hand).
BRIDGE=pgha-e2br0
BRIDGE_ADDRESS=10.201.255.1/24

host() { echo "unix://$SOCKET"; }

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  if running && docker -H "$(host)" info >/dev/null 2>&1; then host; return; fi
  mkdir -p "$ROOT" "$DATA"
  # Its network store from the last run goes first: at start-up an engine deletes the default
  # network it finds there, and that deletion also took engine 1's docker0 (seen here twice).
  rm -f "$DATA/network/files/local-kv.db"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_ADDRESS" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  fi
  setsid dockerd --host "$(host)" --data-root "$DATA" --exec-root "$ROOT/exec" --pidfile "$PIDFILE" \
    --bridge "$BRIDGE" --iptables=false --ip-forward=false --ip-masq=false \
    --default-address-pool "base=$POOL,size=24" >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker -H "$(host)" info >/dev/null 2>&1 && { host; return; }
    sleep 0.5
  done
  tail -n 20 "$LOG" >&2 || true
  echo "engine 2 did not answer within 30 s (log: $LOG)" >&2
  exit 1
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "engine 2 (pid $pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDFILE"
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  host) host ;;
  *) echo "usage: engine2.sh start|stop|host" >&2; exit 2 ;;
esac
