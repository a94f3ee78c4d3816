#!/usr/bin/env bash
# pgha-lab step 20: configure and start this node's etcd member.
#
# ETCD_ENV_FILE (etcd's settings) comes from nodes/<node>/etcd.env (rendered, correct), and the lab's
# drop-in (files/$ETCD_UNIT.conf) makes etcd read it and nothing else, whichever package installed the
# unit: Debian's reads it already, Percona's would run `etcd --config-file` on an empty example.
# Two bootstraps:
#  - static: ETCD_INITIAL_CLUSTER lists every member, state new; all members may start together.
#  - incremental (the document's flow, fixed): the first node starts alone; each later node is
#    announced with `etcdctl member add` on the running members BEFORE its etcd starts
#    (pgha-lab: the document runs `member add` after starting the new member, which etcd refuses),
#    then starts with state existing and the members so far plus itself.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init etcd "${1:-}"
: "${NODE_NAME:?}" "${NODE_IP:?}" "${NODE_INDEX:?}" "${LAB_SIZE:?}" "${ETCD_BIN:?}" "${ETCD_BOOTSTRAP:?}" "${ETCD_DATA_DIR:?}" "${ETCD_CLIENT_PORT:?}" "${ETCD_PEER_PORT:?}"
: "${ETCD_UNIT:?}" "${ETCD_ENV_FILE:?}"
ETCD_PEERS=${ETCD_PEERS:-}
ETCD_OTHER_IPS=${ETCD_OTHER_IPS:-}
PEER_URL="http://$NODE_IP:$ETCD_PEER_PORT"
LOCAL="http://127.0.0.1:$ETCD_CLIENT_PORT"
ETCDCTL=(etcdctl --dial-timeout=3s --command-timeout=5s)

[[ -x $ETCD_BIN ]] || die "etcd is not installed at $ETCD_BIN (run 10-packages.sh first)"
systemctl cat "$ETCD_UNIT" >/dev/null 2>&1 || die "the etcd package installed no $ETCD_UNIT"

config_changed=0
if install_file "$LAB_DIR/files/$ETCD_UNIT.conf" "/etc/systemd/system/$ETCD_UNIT.d/10-lab-config.conf" 644 root root; then
  systemctl daemon-reload
  config_changed=1
fi

# The unit's user owns the data dir (Debian and Ubuntu run etcd as user etcd, Percona as root).
etcd_user=$(systemctl show -p User --value "$ETCD_UNIT" 2>/dev/null || true)
etcd_user=${etcd_user:-root}
if [[ ! -d $ETCD_DATA_DIR ]]; then
  install -d -m 700 -o "$etcd_user" -g "$etcd_user" "$ETCD_DATA_DIR"
  changed "created data dir $ETCD_DATA_DIR"
fi

if install_file "$NODE_DIR/etcd.env" "$ETCD_ENV_FILE" 644 root root; then config_changed=1; fi

local_healthy() { "${ETCDCTL[@]}" --endpoints="$LOCAL" endpoint health >/dev/null 2>&1; }

if [[ $ETCD_BOOTSTRAP == incremental && $NODE_INDEX -gt 1 ]]; then
  [[ -n $ETCD_PEERS ]] || die "ETCD_PEERS is empty: incremental bootstrap needs the members before $NODE_NAME"
  if [[ -d $ETCD_DATA_DIR/member ]]; then
    say "member add: skipped, $NODE_NAME already has etcd data (it joined before)"
  else
    wait_for "existing members healthy ($ETCD_PEERS)" 30 2 "${ETCDCTL[@]}" --endpoints="$ETCD_PEERS" endpoint health ||
      die "the existing etcd members ($ETCD_PEERS) are not healthy: provision the nodes before $NODE_NAME first"
    # etcd refuses `member add` ("unhealthy cluster") until its newest member has been up for about
    # 5 s, so retry, bounded, checking the membership again each time (a lost reply may have added us).
    added=0
    for ((i = 1; i <= 20; i++)); do
      members=$("${ETCDCTL[@]}" --endpoints="$ETCD_PEERS" member list 2>&1) || members=''
      if grep -qF "$PEER_URL" <<<"$members"; then
        say "member add: skipped, $PEER_URL is already a member"
        added=1
        break
      fi
      changed "member add $NODE_NAME --peer-urls=$PEER_URL (before starting this member)"
      if out=$("${ETCDCTL[@]}" --endpoints="$ETCD_PEERS" member add "$NODE_NAME" --peer-urls="$PEER_URL" 2>&1); then
        while IFS= read -r line; do printf '    %s\n' "$line"; done <<<"$out"
        added=1
        break
      fi
      say "member add refused (attempt $i of 20): $(grep -o 'Error: .*' <<<"$out" || echo "$out"); retrying in 3 s"
      sleep 3
    done
    ((added)) || die "etcd refused to add $NODE_NAME for 60 s (etcdctl member list --endpoints=$ETCD_PEERS)"
  fi
fi

unit_enable "$ETCD_UNIT"
if systemctl is-active --quiet "$ETCD_UNIT"; then
  if ((config_changed)); then
    changed "restart (configuration changed)"
    systemctl restart --no-block "$ETCD_UNIT"
  else
    say "running, configuration unchanged"
  fi
else
  # The unit is Type=notify: a blocking start would hang until the cluster has quorum.
  changed "start"
  systemctl start --no-block "$ETCD_UNIT"
fi

if [[ $ETCD_BOOTSTRAP == incremental ]]; then
  # Every member added so far is up once this one is: quorum exists, so wait for health.
  wait_for "local member healthy" 45 2 "${ETCDCTL[@]}" --endpoints="$LOCAL" endpoint health || die "etcd did not become healthy (journalctl -u $ETCD_UNIT)"
else
  up=1
  for ip in $ETCD_OTHER_IPS; do
    if tcp_open "$ip" "$ETCD_PEER_PORT"; then up=$((up + 1)); fi
  done
  quorum=$((LAB_SIZE / 2 + 1))
  if ((up >= quorum)); then
    wait_for "local member healthy ($up of $LAB_SIZE members up, quorum $quorum)" 45 2 "${ETCDCTL[@]}" --endpoints="$LOCAL" endpoint health ||
      die "etcd did not become healthy (journalctl -u $ETCD_UNIT)"
  else
    say "not waiting for health: $up of $LAB_SIZE members up, quorum needs $quorum (it comes when the others start)"
  fi
fi
if local_healthy; then
  "${ETCDCTL[@]}" --endpoints="$LOCAL" member list | sed 's/^/    /'
fi
say "done"
