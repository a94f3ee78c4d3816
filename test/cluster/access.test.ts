/**
 * LabAccess's endpoint lookups against a provider whose answers the test controls: a node whose
 * lookup does not come back (Vagrant, for a machine that was just killed) costs a probe no more than
 * its timeout, and is sampled as unreachable, whatever the provider takes.
 */
import t from 'tap';
import { LabAccess } from '../../lab/cluster/access.js';
import { probeNode } from '../../lab/cluster/probe.js';
import type { NodeEndpoints } from '../../lab/providers/provider.js';

const secrets = { superuserPassword: 's', replicationPassword: 'r', rewindPassword: 'w', restApiPassword: 'a' };
const at = (node: string, base: number): NodeEndpoints => ({
  node,
  patroni: { host: '127.0.0.1', port: base },
  postgres: { host: '127.0.0.1', port: base + 1 },
  etcd: { host: '127.0.0.1', port: base + 2 },
});

/** A provider whose endpoints() calls wait until the test settles them, in order. */
class HeldProvider {
  readonly calls: { node: string; settle: (e: NodeEndpoints | Error) => void }[] = [];
  endpoints(node: string): Promise<NodeEndpoints> {
    return new Promise((resolve, reject) =>
      this.calls.push({ node, settle: (e) => (e instanceof Error ? reject(e) : resolve(e)) }),
    );
  }
  /** The lab of these tests has no HAProxy node. */
  entryEndpoints(): Promise<never> {
    return Promise.reject(new Error('no HAProxy node'));
  }
  settle(i: number, answer: NodeEndpoints | Error): void {
    this.calls[i]!.settle(answer);
  }
}

const setup = (probeTimeoutMs = 20) => {
  const provider = new HeldProvider();
  const clock = { t: 0, now: () => clock.t };
  const access = new LabAccess(provider, secrets, probeTimeoutMs, clock);
  t.teardown(() => access.close());
  return { provider, clock, access };
};

/** setup(), with node1's first lookup answered (ports from 1000): the state a stale node starts from. */
async function node1Known() {
  const lab = setup();
  const first = lab.access.endpoints('node1');
  lab.provider.settle(0, at('node1', 1000));
  await first;
  return lab;
}

t.test('a first lookup is waited for, and uses at the same time share it', async (t) => {
  const { provider, access } = setup();
  const both = Promise.all([access.endpoints('node1'), access.patroni('node1')]);
  await Promise.resolve();
  t.equal(provider.calls.length, 1, 'one lookup for two uses');
  provider.settle(0, at('node1', 1000));
  const [endpoints] = await both;
  t.equal(endpoints.patroni.port, 1000);
  t.same((await access.endpoints('node1')).postgres, { host: '127.0.0.1', port: 1001 }, 'then known: no lookup');
  t.equal(provider.calls.length, 1);
});

t.test('a stale node whose lookup does not come back: its uses fail after the probe timeout, one lookup goes on', async (t) => {
  const { provider, clock, access } = await node1Known();

  access.markStale('node1');
  t.same(await access.endpoints('node1'), at('node1', 1000), 'within the interval: the known endpoints, no lookup');
  t.equal(provider.calls.length, 1);

  clock.t += 1000;
  await t.rejects(
    access.endpoints('node1'),
    /node1's endpoints are still being looked up after 20 ms/,
    'a use waits no longer than the probe timeout',
  );
  t.equal(provider.calls.length, 2, 'the lookup began');
  clock.t += 5000;
  await t.rejects(access.sql('node1'), /still being looked up/);
  t.equal(provider.calls.length, 2, 'and no second lookup while it runs');

  const sample = await probeNode(access, 'node1', 20);
  t.same(
    sample,
    { node: 'node1', reachable: false, role: null, state: null, timeline: null, lag: null, pg: 'down', etcd: false },
    'the probe is recorded as a sample: unreachable',
  );

  provider.settle(1, at('node1', 2000));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal((await access.endpoints('node1')).patroni.port, 2000, 'the node came back on other ports: they are used');
  t.equal((await access.patroni('node1')).endpoint.port, 2000, 'by a new Patroni client');
  t.equal(provider.calls.length, 2);
});

t.test('a stale node whose lookup fails: its uses fail with why until a lookup succeeds, one lookup a second', async (t) => {
  const { provider, clock, access } = await node1Known();

  access.markStale('node1');
  clock.t += 1000;
  const use = access.endpoints('node1');
  provider.settle(1, new Error('node node1 has no container'));
  await t.rejects(use, /no container/, 'the provider says why');
  await t.rejects(access.endpoints('node1'), /no container/, 'and says it again within the interval, without asking');
  t.equal(provider.calls.length, 2);

  clock.t += 1000;
  const again = access.endpoints('node1');
  t.equal(provider.calls.length, 3, 'after the interval: asked again');
  provider.settle(2, at('node1', 1000));
  t.same(await again, at('node1', 1000));
  t.same(await access.endpoints('node1'), at('node1', 1000), 'fresh again: no lookup');
  t.equal(provider.calls.length, 3);
});
