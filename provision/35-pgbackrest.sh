#!/usr/bin/env bash
# pgha-lab step 35, on every node, with lab.yaml's backup: section only: pgBackRest, which Patroni's
# archive_command, restore_command and replica method (step 40's patroni.yml) run, and its TLS server,
# through which the backup node reads the data directory. Before step 40, so that the first WAL
# segment Patroni's bootstrap writes can be archived as soon as the backup node answers.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=pgbackrest-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/pgbackrest-lib.sh"
lab_init pgbackrest "${1:-}"
: "${BACKUP:?BACKUP missing from the env file}"
if ((!BACKUP)); then
  say "no backup: section in lab.yaml: nothing to do"
  exit 0
fi
: "${PG_VERSION:?}" "${PACKAGE_SOURCE:?}" "${STANZA:?}" "${PGBACKREST_UNIT:?}" "${PGBACKREST_PORT:?}"
: "${PGBACKREST_LOG:?}" "${PGBACKREST_CONFIG:?}" "${PGBACKREST_TLS_DIR:?}"
pgbackrest_setup "$NODE_DIR" "$NODE_NAME"
say "done"
