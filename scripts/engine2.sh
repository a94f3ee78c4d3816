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
#   engine2.sh tcp      print its TCP address (TLS, client certificate required) and the directory
#                       holding the client's ca.pem, cert.pem and key.pem (DOCKER_CERT_PATH)
#
# Besides its socket it listens on 127.0.0.1 over TCP with TLS, certificates made here by openssl
# for this run, so that tests reach it as a remote engine is reached: tcp://host:2376 with TLS.
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
TCP=tcp://127.0.0.1:23762
TLS=$ROOT/tls

# shellcheck source=scripts/engine-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/engine-lib.sh"

host() { echo "unix://$SOCKET"; }

tcp() { echo "$TCP $TLS/client"; }

# A CA, a server certificate for 127.0.0.1 and a client certificate, valid two days (tmpfs: made
# again after a reboot). The keys never leave $TLS.
certificates() {
  [[ -f $TLS/client/cert.pem ]] && return
  mkdir -p "$TLS/client"
  chmod 700 "$TLS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pgha-lab engine 2 CA" -keyout "$TLS/ca-key.pem" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TLS/server-key.pem" -out "$TLS/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$TLS/server.ext"
  openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -CAcreateserial -days 2 -extfile "$TLS/server.ext" -out "$TLS/server-cert.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=pgha-lab client" -keyout "$TLS/client/key.pem" -out "$TLS/client.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$TLS/client.ext"
  openssl x509 -req -in "$TLS/client.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca-key.pem" -CAcreateserial -days 2 -extfile "$TLS/client.ext" -out "$TLS/client/cert.pem" 2>/dev/null
  cp "$TLS/ca.pem" "$TLS/client/ca.pem"
}

start() {
  if pid_alive "$PIDFILE" && docker -H "$(host)" info >/dev/null 2>&1; then host; return; fi
  mkdir -p "$ROOT" "$DATA"
  certificates
  # Its network store from the last run goes first: at start-up an engine deletes the default
  # network it finds there, and that deletion also took engine 1's docker0 (seen here twice).
  rm -f "$DATA/network/files/local-kv.db"
  bridge_up "$BRIDGE" "$BRIDGE_ADDRESS"
  setsid dockerd --host "$(host)" --host "$TCP" --tlsverify --tlscacert "$TLS/ca.pem" \
    --tlscert "$TLS/server-cert.pem" --tlskey "$TLS/server-key.pem" --data-root "$DATA" --exec-root "$ROOT/exec" --pidfile "$PIDFILE" \
    --bridge "$BRIDGE" --iptables=false --ip-forward=false --ip-masq=false \
    --default-address-pool "base=$POOL,size=24" >"$LOG" 2>&1 </dev/null &
  await_engine "$(host)" 60 'engine 2' "$LOG" || exit 1
}

stop() {
  stop_pid "$PIDFILE" 'engine 2'
  bridge_down "$BRIDGE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  host) host ;;
  tcp) tcp ;;
  *) echo "usage: engine2.sh start|stop|host|tcp" >&2; exit 2 ;;
esac
