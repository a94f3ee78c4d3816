#!/usr/bin/env bash
# pgha-lab step 10: install PostgreSQL, Patroni and etcd, then get the packaged services out of the way.
#
# Needs only PG_VERSION, PACKAGE_SOURCE and the units (*_UNIT, ETCD_ENV_FILE) from the env file (the Docker provider runs this step once
# while building the node image, when no systemd runs and nothing is configured yet).
#
# pgha-lab: the document runs `percona-release setup ppg-12` and installs percona-postgresql-12 on a
# page for PostgreSQL 16; here the repository and the packages follow postgres.version (PG_VERSION).
# pgha-lab: the document leaves the packaged postgresql service enabled, where it fights Patroni for
# the data directory; this step stops and disables it and drops the cluster the package creates.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init packages "${1:-}"
: "${PG_VERSION:?PG_VERSION missing from the env file}" "${PACKAGE_SOURCE:?PACKAGE_SOURCE missing from the env file}"
: "${PG_PACKAGE_UNIT:?}" "${ETCD_UNIT:?}" "${PATRONI_UNIT:?}" "${ETCD_ENV_FILE:?}"

# Captured first: `apt-cache ... | grep -q` fails under pipefail when grep exits early (SIGPIPE).
available() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null || true)
  grep -Eq 'Candidate: [^(]' <<<"$policy"
}

# Keep the packages' services from starting during installation: they would start with default
# configurations (etcd as a one-member cluster, a stock PostgreSQL cluster on port 5432).
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# pgha-lab: no service starts while packages install\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  OWN_POLICY=1
fi
cleanup() { if ((OWN_POLICY)); then rm -f "$POLICY"; fi; }
trap cleanup EXIT

case $PACKAGE_SOURCE in
  percona)
    percona_repository "$PG_VERSION"
    # Percona's repository ships etcd as etcd + etcd-server + etcd-client, and Patroni as percona-patroni.
    # python3-systemd by name: Patroni 4.1's unit is Type=notify, which the Docker provider keeps, and
    # without the module Patroni never sends READY=1 (it only warns), so systemd would stop it at the
    # unit's TimeoutSec; Percona's Debian control file does not list it.
    apt_install "percona-postgresql-$PG_VERSION" percona-patroni python3-systemd etcd etcd-server etcd-client
    ;;
  distro)
    say "package source: the OS's own packages, PostgreSQL $PG_VERSION"
    # python3-etcd by name: Patroni's etcd3 DCS imports it, but it is only one alternative of
    # Patroni's `python3-etcd | python3-consul | ...` dependency. Debian 12's Patroni 3.0 gets it
    # as the first alternative; Debian 13's Patroni 4 also depends on python3-consul outright, which
    # satisfies that alternative, so without this line Patroni finds no etcd3 module and exits.
    want=("postgresql-$PG_VERSION" patroni python3-etcd curl ca-certificates)
    if installed etcd-server; then
      want+=(etcd-server etcd-client)
    elif installed etcd; then
      want+=(etcd)
    else
      apt_update
      if available etcd-server; then want+=(etcd-server etcd-client); else want+=(etcd); fi
    fi
    if ! installed "postgresql-$PG_VERSION"; then
      apt_update
      if ! available "postgresql-$PG_VERSION"; then
        shipped=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1)
        os=$(. /etc/os-release && echo "${PRETTY_NAME:-this OS}")
        die "postgresql-$PG_VERSION is not available from the OS's repositories: $os ships PostgreSQL ${shipped:-(none found)}. Set postgres.version: ${shipped:-<that version>} in lab.yaml, or postgres.packageSource: percona"
      fi
    fi
    apt_install "${want[@]}"
    ;;
  *) die "PACKAGE_SOURCE must be percona or distro, got '$PACKAGE_SOURCE'" ;;
esac

# The stock postgresql service: Patroni alone starts PostgreSQL.
unit_disable "$PG_PACKAGE_UNIT"
if [[ -d /etc/postgresql/$PG_VERSION/main ]]; then
  changed "pg_dropcluster --stop $PG_VERSION main (the package's cluster; Patroni bootstraps its own)"
  pg_dropcluster --stop "$PG_VERSION" main
fi

# The packaged etcd auto-starts as a one-member cluster with a default data dir. Until step 20 has
# written our $ETCD_ENV_FILE, stop it and wipe that default data so our cluster starts clean.
if ! grep -qs '^# pgha-lab' "$ETCD_ENV_FILE"; then
  unit_disable "$ETCD_UNIT"
  for d in /var/lib/etcd/default /var/lib/etcd/default.etcd; do
    if [[ -d $d ]]; then
      rm -rf "$d"
      changed "removed the packaged etcd's default data dir $d"
    fi
  done
fi
# Same for Patroni until step 40 has installed our configuration (nothing to run before that).
if ! grep -qs '^# pgha-lab' "${PATRONI_CONFIG:-/etc/patroni/config.yml}"; then
  unit_disable "$PATRONI_UNIT"
fi
say "done"
