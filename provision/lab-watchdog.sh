#!/usr/bin/env bash
# pgha-lab watchdog emulator, for nodes that cannot load softdog (containers).
#
# Patroni's `watchdog: {driver: testing, device: FIFO}` turns the Linux watchdog ioctls into writes:
# `Ctimeout=N` + newline when it sets the timeout, one `1` per keepalive (every HA loop), and `V`
# when it closes the device cleanly. This reader keeps the same rules as a hardware watchdog with
# magic close: armed by the first timeout or keepalive, disarmed only by `V`, and when armed and no
# keepalive arrives for the timeout it resets the node at once with `reboot -ff` (the container
# runs with CAP_SYS_BOOT and a restart policy, so the engine starts it again like a rebooted machine).
#
#   lab-watchdog prepare FIFO OWNER   create the FIFO (ExecStartPre)
#   lab-watchdog run FIFO             read it until the watchdog fires (ExecStart)
set -euo pipefail

LOG=/var/log/lab-watchdog.log # survives the reset, unlike a volatile journal

log() {
  echo "lab-watchdog: $*"
  printf '%s lab-watchdog: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG" 2>/dev/null || true
}

prepare() {
  local fifo=$1 owner=$2
  rm -f "$fifo"
  mkfifo -m 600 "$fifo"
  chown "$owner:$owner" "$fifo"
}

fire() {
  log "FIRE: armed and no keepalive for ${timeout}s: hard reset of this node (reboot -ff)"
  sync
  reboot -ff
  log "reboot -ff returned: the node could not be reset (missing CAP_SYS_BOOT?)"
  exit 1
}

run() {
  local fifo=$1 ch rest wait now rc
  [[ -p $fifo ]] || { log "$fifo is not a FIFO"; exit 1; }
  # Read-write: the open never blocks and Patroni closing its end never gives end-of-file.
  exec 3<>"$fifo"
  armed=0 timeout=60 deadline=0
  log "listening on $fifo (disarmed)"
  while :; do
    wait=3600
    if ((armed)); then
      now=$EPOCHSECONDS
      if ((now >= deadline)); then fire; fi
      wait=$((deadline - now))
    fi
    rc=0
    IFS= read -r -N 1 -t "$wait" -u 3 ch || rc=$?
    if ((rc > 128)); then continue; fi # timed out: the loop top decides
    if ((rc != 0)); then
      sleep 1
      continue
    fi
    case $ch in
      C)
        rest=
        IFS= read -r -t 5 -u 3 rest || true
        if [[ $rest =~ ^timeout=([0-9]+)$ ]]; then timeout=${BASH_REMATCH[1]}; fi
        armed=1 deadline=$((EPOCHSECONDS + timeout))
        log "armed: timeout ${timeout}s (set by Patroni)"
        ;;
      1)
        if ((!armed)); then log "armed by keepalive: timeout ${timeout}s"; fi
        armed=1 deadline=$((EPOCHSECONDS + timeout))
        ;;
      V)
        if ((armed)); then log "disarmed: Patroni closed the watchdog cleanly"; fi
        armed=0
        ;;
      *) ;;
    esac
  done
}

case ${1:-} in
  prepare) prepare "${2:?FIFO}" "${3:?OWNER}" ;;
  run) run "${2:?FIFO}" ;;
  *)
    echo "usage: lab-watchdog prepare FIFO OWNER | run FIFO" >&2
    exit 2
    ;;
esac
