/** The entry-path client when the HAProxy node is down: to an application its address refuses. */
import t from 'tap';
import type { LabAccess } from '../../../lab/cluster/access.js';
import { classifySqlFailure } from '../../../lab/cluster/sql.js';
import { labClient } from '../../../lab/scenarios/client/lab-client.js';
import { SPEC } from '../fake-lab.js';

t.test('no HAProxy port to look up (its machine crashed): a refused connection, certainly not applied', async (t) => {
  const access = {
    entryEndpoints: () => Promise.reject(new Error('the HAProxy node haproxy publishes no port for 5000 (is it running?)')),
  } as unknown as LabAccess;
  const spec = {
    ...SPEC,
    entry: {
      haproxy: { name: 'haproxy', ip: '10.0.0.14', inter: 500, fastinter: 100, downinter: 200, fall: 3, rise: 2 },
      pgbouncer: null,
      libpq: false,
    },
  };
  const error = await labClient(access, spec).viaPath!('haproxy-rw', 'SELECT 1', []).then(
    () => null,
    (e: unknown) => e,
  );
  t.match(classifySqlFailure(error, false), {
    outcome: 'fail',
    errorClass: 'refused',
    message: /^no HAProxy to connect to: the HAProxy node haproxy publishes no port/,
  });
});
