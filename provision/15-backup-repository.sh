#!/usr/bin/env bash
# pgha-lab step 15, on the backup node only (lab.yaml's backup:): pgBackRest's repository and its TLS
# server, through which the nodes push and get WAL. Before the nodes' step 40: a replica Patroni makes
# with pgBackRest (create_replica_methods) asks this server first, and would wait for its timeout
# while nothing listens here. Step 60 creates the stanza once a primary runs.
#
# Run as `bash /vagrant/provision/15-backup-repository.sh /vagrant/backup/<name>/backup.env`. This node
# runs no PostgreSQL, Patroni or etcd: in containers it starts from the node image, whose packaged
# services stay disabled.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=pgbackrest-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/pgbackrest-lib.sh"
lab_init backup-repository "${1:-}"
: "${PG_VERSION:?}" "${PACKAGE_SOURCE:?}" "${STANZA:?}" "${PGBACKREST_UNIT:?}" "${PGBACKREST_PORT:?}"
: "${PGBACKREST_REPO:?}" "${PGBACKREST_LOG:?}" "${PGBACKREST_CONFIG:?}" "${PGBACKREST_TLS_DIR:?}"

pgbackrest_setup "$NODE_DIR" "$NODE_NAME"
if [[ ! -d $PGBACKREST_REPO || $(stat -c %U "$PGBACKREST_REPO") != postgres ]]; then
  install -d -o postgres -g postgres -m 750 "$PGBACKREST_REPO"
  changed "$PGBACKREST_REPO: owned by postgres"
fi
say "done"
