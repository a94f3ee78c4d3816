#!/usr/bin/env bash
# pgha-lab step 30: the watchdog Patroni feeds while it holds the leader key.
#
#  - WATCHDOG_DRIVER=softdog (VMs): the kernel's software watchdog at /dev/watchdog.
#    pgha-lab: the document's blacklist "removal" is a garbled grep that removes nothing, and
#    /etc/modules only loads softdog at the next boot; here every `blacklist softdog` line is
#    deleted, the module is loaded now and at boot, and /dev/watchdog belongs to postgres now.
#    Ubuntu's next kernel package blacklists softdog again, so the lab's Patroni drop-in
#    (files/$PATRONI_UNIT.conf, step 40) also loads it before every Patroni start.
#  - WATCHDOG_DRIVER=testing (containers cannot load kernel modules): $WATCHDOG_UNIT reads
#    the keepalives of Patroni's `driver: testing` from a FIFO and resets the node (reboot -ff)
#    when they stop for the timeout Patroni set.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init watchdog "${1:-}"
: "${WATCHDOG_MODE:?}" "${WATCHDOG_DRIVER:?}" "${WATCHDOG_DEVICE:?}" "${WATCHDOG_UNIT:?}" "${PATRONI_UNIT:?}"

if [[ $WATCHDOG_MODE == off ]]; then
  say "watchdog.mode is off: nothing to do"
  exit 0
fi
id postgres >/dev/null 2>&1 || die "user postgres does not exist (run 10-packages.sh first)"

case $WATCHDOG_DRIVER in
  softdog)
    blacklist='^[[:space:]]*blacklist[[:space:]]+softdog([[:space:]]|$)'
    for f in /lib/modprobe.d/*.conf /etc/modprobe.d/*.conf; do
      [[ -f $f ]] || continue
      if grep -Eq "$blacklist" "$f"; then
        sed -i -E "/$blacklist/d" "$f"
        changed "removed 'blacklist softdog' from $f"
      fi
    done
    install_file "$LAB_DIR/files/softdog.conf" /etc/modules-load.d/softdog.conf 644 root root || true
    if [[ -d /sys/module/softdog ]]; then
      say "softdog already loaded"
    else
      changed "modprobe softdog"
      modprobe softdog || die "cannot load softdog (no kernel modules here? containers cannot: there, vm.provider: docker or provider: docker in lab.yaml emulates the watchdog)"
    fi
    if install_file "$LAB_DIR/files/61-watchdog.rules" /etc/udev/rules.d/61-watchdog.rules 644 root root; then
      udevadm control --reload
      # /dev/watchdog is a misc device (only /dev/watchdog0 is in the watchdog subsystem), so the
      # rule's KERNEL=="watchdog" is matched by name in the misc subsystem.
      changed "udevadm trigger (misc device watchdog)"
      udevadm trigger --action=change --subsystem-match=misc --sysname-match=watchdog
      udevadm settle --timeout=10 || true
    fi
    wait_for "$WATCHDOG_DEVICE exists" 10 1 test -c "$WATCHDOG_DEVICE" || die "$WATCHDOG_DEVICE did not appear"
    if [[ $(stat -c '%U:%G %a' "$WATCHDOG_DEVICE") != 'postgres:postgres 600' ]]; then
      chown postgres:postgres "$WATCHDOG_DEVICE"
      chmod 600 "$WATCHDOG_DEVICE"
      changed "$WATCHDOG_DEVICE: owner postgres, mode 600 (now; the udev rule does it at boot)"
    fi
    ;;
  testing)
    changed=0
    if install_file "$LAB_DIR/provision/lab-watchdog.sh" /usr/local/sbin/lab-watchdog 755 root root; then changed=1; fi
    if install_file "$LAB_DIR/files/$WATCHDOG_UNIT" "/etc/systemd/system/$WATCHDOG_UNIT" 644 root root; then changed=1; fi
    # Patroni opens the FIFO the emulator creates: it must start after the emulator, and stop with it.
    if install_file "$LAB_DIR/files/patroni-lab-watchdog.conf" "/etc/systemd/system/$PATRONI_UNIT.d/20-lab-watchdog.conf" 644 root root; then
      changed=1
    fi
    if ((changed)); then systemctl daemon-reload; fi
    unit_enable "$WATCHDOG_UNIT"
    if ! systemctl is-active --quiet "$WATCHDOG_UNIT"; then
      changed "start $WATCHDOG_UNIT"
      systemctl start "$WATCHDOG_UNIT"
    elif ((changed)); then
      # Not `systemctl restart`: Patroni Requires= the emulator, so systemd would restart Patroni
      # too (a switchover on the leader). A reload re-executes the new script in the same process,
      # keeping the FIFO Patroni holds and the armed state; unit file changes apply at next boot.
      changed "$WATCHDOG_UNIT: emulator changed, reload (Patroni keeps running)"
      systemctl reload "$WATCHDOG_UNIT"
      wait_for "$WATCHDOG_UNIT running after reload" 15 1 systemctl is-active --quiet "$WATCHDOG_UNIT" ||
        die "$WATCHDOG_UNIT is not running after reload (journalctl -u $WATCHDOG_UNIT)"
    else
      say "$WATCHDOG_UNIT running, unchanged"
    fi
    wait_for "FIFO $WATCHDOG_DEVICE" 10 1 test -p "$WATCHDOG_DEVICE" || die "lab-watchdog did not create $WATCHDOG_DEVICE"
    ;;
  *) die "WATCHDOG_DRIVER must be softdog or testing, got '$WATCHDOG_DRIVER'" ;;
esac
say "done"
