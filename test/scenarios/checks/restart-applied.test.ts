import t from 'tap';
import { restartApplied } from '../../../lab/scenarios/checks/restart-applied.js';
import { runChecks } from '../../../lab/scenarios/checks/index.js';
import { HistoryBuilder } from '../build-history.js';

const SHAPES = { node1: 'primary', node2: 'replica', node3: 'replica' } as const;
const ALL = (v: boolean) => ({ node1: v, node2: v, node3: v });

/** A change at 1 s: pending on every node from 1 s; each node restarted at its own time; the change undone at 10 s and applied again. */
function run(appliedAt: Record<string, number | null>, { pendingAtEnd = false } = {}): HistoryBuilder {
  const h = new HistoryBuilder().roles(0, 1000, SHAPES, { pendingRestart: ALL(false) });
  h.fault(1000, 'set-parameter', 'node1');
  for (let t = 1000; t < 10_000; t += 250) {
    const pending = Object.fromEntries(
      Object.entries(appliedAt).map(([n, at]) => [n, t < 1500 || at === null || t < at] as const),
    );
    h.roles(t, t + 250, SHAPES, { pendingRestart: pending });
  }
  h.heal(10_000, 'set-parameter', 'node1');
  h.roles(10_000, 12_000, SHAPES, { pendingRestart: ALL(pendingAtEnd) });
  return h;
}

t.test('every node pending after the change, then restarted into it: pass, with when each was applied', async (t) => {
  const r = restartApplied.run(run({ node1: 6000, node2: 3000, node3: 4000 }).build(), {});
  t.equal(r.status, 'pass', r.summary);
  t.equal(r.evidence.length, 3);
  t.match(r.evidence.join('\n'), /node2: set-parameter.*restart pending from 1\.0 s, applied at 3\.0 s/);
  t.same(r.figures, { changes: 1, nodesLeftPending: 0 });
});

t.test('a node never restarted before the change was undone: fail, naming it', async (t) => {
  const r = restartApplied.run(run({ node1: 6000, node2: null, node3: 4000 }).build(), {});
  t.equal(r.status, 'fail');
  t.match(r.evidence[0], /^node2: restart pending from 1\.0 s, never applied before 10\.0 s/);
});

t.test('a change never undone and never applied: fail, judged to the end of the run', async (t) => {
  const h = new HistoryBuilder().roles(0, 1000, SHAPES, { pendingRestart: ALL(false) });
  h.fault(1000, 'set-parameter', 'node1').roles(1000, 5000, SHAPES, { pendingRestart: ALL(true) });
  const r = restartApplied.run(h.build(), {});
  t.equal(r.status, 'fail');
  t.match(r.evidence[0], /^node1: restart pending from 1\.0 s, never applied by the run's end/);
});

t.test('a restart still pending at the end (the undo was never applied): fail', async (t) => {
  const r = restartApplied.run(run({ node1: 6000, node2: 3000, node3: 4000 }, { pendingAtEnd: true }).build(), {});
  t.equal(r.status, 'fail');
  t.same(r.figures, { changes: 1, nodesLeftPending: 3 });
  t.match(r.evidence.join('\n'), /node1: a restart is still pending at the run's end/);
});

t.test('a change that never showed a restart pending on a node: fail, saying it needs none or never arrived', async (t) => {
  const h = new HistoryBuilder().roles(0, 1000, SHAPES, { pendingRestart: ALL(false) });
  h.fault(1000, 'set-parameter', 'node1').roles(1000, 5000, SHAPES, { pendingRestart: ALL(false) });
  const r = restartApplied.run(h.build(), {});
  t.equal(r.status, 'fail');
  t.match(r.evidence[0], /node1: no restart pending after set-parameter \(it needs none/);
});

t.test('runs by itself when the History has a set-parameter change, and not otherwise', async (t) => {
  const names = (h: HistoryBuilder) => runChecks(h.build(), []).map((c) => c.name);
  t.ok(names(run({ node1: 6000, node2: 3000, node3: 4000 })).includes('restart-applied'));
  t.notOk(names(new HistoryBuilder().roles(0, 1000, SHAPES)).includes('restart-applied'));
  t.equal(restartApplied.run(new HistoryBuilder().build(), {}).status, 'unknown');
});
