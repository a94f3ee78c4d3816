import path from 'node:path';
import { execa } from 'execa';
import t from 'tap';
import { ROOT } from '../helpers.js';

/**
 * docker-proxy accepts a connection for a node whose Patroni is stopped and closes it at once; Node's
 * fetch was seen to take that for connected and then wait holding no handle. Modelled here by a fetch
 * that only ever settles when aborted: with nothing else in the process, only the client's own timer
 * can end the wait. With an unref'd one (AbortSignal.timeout) Node exits 13 under the pending await.
 */
t.test('a request that holds no handle still times out when nothing else keeps the process alive', async (t) => {
  const client = path.join(ROOT, 'dist/lab/cluster/patroni.js');
  const script = `
    globalThis.fetch = (_url, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const { PatroniClient } = await import(${JSON.stringify(client)});
    await new PatroniClient({ host: '127.0.0.1', port: 1 }, { timeoutMs: 200 }).cluster().then(
      () => process.exit(0),
      (e) => { console.log(e.name); process.exit(7); },
    );`;
  const child = await execa('node', ['--input-type=module', '-e', script], { reject: false, timeout: 30_000 });
  t.equal(child.exitCode, 7, `the request rejected (exit 13 is Node giving up on the await): ${child.stderr}`);
  t.equal(child.stdout.trim(), 'TimeoutError');
});
