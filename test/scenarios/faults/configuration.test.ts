import t from 'tap';
import { hotStandbySettings, parameterIn } from '../../../lab/scenarios/faults/configuration.js';

// What `patronictl show-config` prints: the dynamic configuration as YAML, keys sorted.
const SHOW_CONFIG = `loop_wait: 2
maximum_lag_on_failover: 1048576
postgresql:
  parameters:
    hot_standby: 'on'
    max_connections: 150
    password_encryption: scram-sha-256
    wal_keep_size: 128MB
  use_pg_rewind: true
  use_slots: true
retry_timeout: 5
ttl: 20
`;

t.test("parameterIn reads postgresql.parameters' value, unquoted, and null when absent", async (t) => {
  t.equal(parameterIn(SHOW_CONFIG, 'max_connections'), '150');
  t.equal(parameterIn(SHOW_CONFIG, 'hot_standby'), 'on');
  t.equal(parameterIn(SHOW_CONFIG, 'wal_keep_size'), '128MB');
  t.equal(parameterIn(SHOW_CONFIG, 'shared_buffers'), null);
  t.equal(parameterIn(SHOW_CONFIG, 'use_slots'), null, 'a key of postgresql: beside parameters: is not a parameter');
  t.equal(parameterIn(SHOW_CONFIG, 'ttl'), null, 'a top-level key is not a parameter');
  t.equal(parameterIn('loop_wait: 10\nttl: 30\n', 'max_connections'), null, 'no postgresql: section');
  t.equal(parameterIn(SHOW_CONFIG, 'max'), null, 'a prefix of a name is not the name');
});

t.test('hotStandbySettings takes the max_* settings pg_controldata prints, and nothing else', async (t) => {
  const out = `pg_control version number:            1700
wal_level setting:                    replica
max_connections setting:              100
max_worker_processes setting:         8
max_wal_senders setting:              10
max_prepared_xacts setting:           0
max_locks_per_xact setting:           64
track_commit_timestamp setting:       off
`;
  t.same(hotStandbySettings(out), {
    max_connections: '100',
    max_worker_processes: '8',
    max_wal_senders: '10',
    max_prepared_xacts: '0',
    max_locks_per_xact: '64',
  });
  t.same(hotStandbySettings(''), {});
});
