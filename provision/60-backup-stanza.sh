#!/usr/bin/env bash
# pgha-lab step 60, on the backup node only (lab.yaml's backup:), after the nodes' steps: the stanza,
# created once a primary runs (stanza-create reads its system identifier), then checked (`pgbackrest
# check` switches WAL and waits until that segment is in the repository: archiving works end to end).
#
# Run as `bash /vagrant/provision/60-backup-stanza.sh /vagrant/backup/<name>/backup.env`, after step 15
# on this node and the nodes' step 40.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init backup-stanza "${1:-}"
: "${STANZA:?}" "${PGBACKREST_REPO:?}" "${PGBACKREST_LOG:?}"
[[ -d $PGBACKREST_REPO ]] || die "no repository at $PGBACKREST_REPO (run 15-backup-repository.sh first)"

as_postgres() { runuser -u postgres -- pgbackrest --stanza="$STANZA" "$@"; }
stanza_create() { timeout 60 runuser -u postgres -- pgbackrest --stanza="$STANZA" stanza-create; }

if [[ -f $PGBACKREST_REPO/backup/$STANZA/backup.info ]]; then
  say "stanza $STANZA: already created"
else
  # The nodes' primary may still be starting: stanza-create fails until one answers.
  wait_for "stanza-create $STANZA" 30 4 stanza_create || as_postgres stanza-create || die "stanza-create failed (see above)"
  changed "stanza $STANZA: created"
fi
# A WAL segment PostgreSQL failed to archive (before the stanza existed) is retried about once a minute.
as_postgres --archive-timeout=180 check || die "pgbackrest check failed: WAL does not reach the repository (see $PGBACKREST_LOG on the nodes)"
say "stanza $STANZA: check passed (WAL reaches the repository)"
say "done"
