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
#   lab-watchdog prepare FIFO OWNER [BOOT_DELAY]  create the FIFO (ExecStartPre); after a reset
#                                                 by this watchdog, first wait BOOT_DELAY seconds
#   lab-watchdog run FIFO                         read it until the watchdog fires (ExecStart)
#
# SIGHUP (systemctl reload lab-watchdog) re-executes the installed script in the same process,
# keeping the FIFO, the armed state and the deadline: an updated emulator takes over without
# restarting the unit, which would restart Patroni (it Requires= the emulator).
set -euo pipefail

LOG=/var/log/lab-watchdog.log # survives the reset, unlike a volatile journal
FIRED=/var/lib/lab-watchdog/fired
STATE=/run/lab-watchdog.state # armed flag and timeout, for a restart of the emulator alone

log() {
  echo "lab-watchdog: $*"
  printf '%s lab-watchdog: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG" 2>/dev/null || true
}

prepare() {
  local fifo=$1 owner=$2 delay=${3:-0}
  if [[ -f $FIRED ]]; then
    rm -f "$FIRED"
    if [[ $delay =~ ^[0-9]+$ ]] && ((delay > 0)); then
      log "this node was reset by the watchdog: emulating boot time, Patroni starts in ${delay}s"
      sleep "$delay"
    fi
  fi
  # Keep an existing FIFO: Patroni may hold it open, and a restarted emulator must read the same one.
  if [[ ! -p $fifo ]]; then
    rm -f "$fifo"
    mkfifo -m 600 "$fifo"
  fi
  chmod 600 "$fifo"
  chown "$owner:$owner" "$fifo"
}

save_state() { printf '%s %s\n' "$armed" "$timeout" >"$STATE"; }

reexec() {
  save_state
  log "reload: running the installed emulator in the same process (state kept)"
  exec "$0" run "$FIFO" "$deadline"
}

fire() {
  log "FIRE: armed and no keepalive for ${timeout}s: hard reset of this node (reboot -ff)"
  mkdir -p "$(dirname "$FIRED")"
  date -u +%Y-%m-%dT%H:%M:%SZ >"$FIRED"
  sync
  reboot -ff || true
  # reboot(2) ends the node at once; still here after a while means it was refused.
  sleep 10
  log "still running 10 s after reboot -ff: the node could not be reset (missing CAP_SYS_BOOT?)"
  exit 1
}

run() {
  local ch rest wait now rc resumed_deadline=${2:-}
  FIFO=$1
  [[ -p $FIFO ]] || { log "$FIFO is not a FIFO"; exit 1; }
  # Read-write: the open never blocks and Patroni closing its end never gives end-of-file.
  exec 3<>"$FIFO"
  armed=0 timeout=60 deadline=0
  if [[ -f $STATE ]] && read -r armed timeout <"$STATE" && [[ $armed =~ ^[01]$ && $timeout =~ ^[0-9]+$ ]]; then
    deadline=$((EPOCHSECONDS + timeout))
    # After a reload the deadline carries over; after a crash of the emulator, a full timeout is given.
    if [[ $resumed_deadline =~ ^[0-9]+$ ]]; then deadline=$resumed_deadline; fi
  else
    armed=0 timeout=60
  fi
  if ((armed)); then
    log "listening on $FIFO (resumed armed: timeout ${timeout}s, $((deadline - EPOCHSECONDS))s left)"
  else
    log "listening on $FIFO (disarmed)"
  fi
  trap reexec HUP
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
        save_state
        ;;
      1)
        if ((!armed)); then
          armed=1
          log "armed by keepalive: timeout ${timeout}s"
          save_state
        fi
        deadline=$((EPOCHSECONDS + timeout))
        ;;
      V)
        if ((armed)); then
          armed=0
          log "disarmed: Patroni closed the watchdog cleanly"
          save_state
        fi
        ;;
      *) ;;
    esac
  done
}

case ${1:-} in
  prepare) prepare "${2:?FIFO}" "${3:?OWNER}" "${4:-0}" ;;
  run) run "${2:?FIFO}" "${3:-}" ;;
  *)
    echo "usage: lab-watchdog prepare FIFO OWNER [BOOT_DELAY] | run FIFO" >&2
    exit 2
    ;;
esac
