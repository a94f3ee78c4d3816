/** The console timeline: the services' log lines, read after the run, are shown in their places in time order. */
import t from 'tap';
import { inTimeOrder, liveTimeline } from '../../lab/report/console.js';
import type { HistoryEvent, LogEvent } from '../../lab/scenarios/history/history.js';
import { failoverHistory } from '../scenarios/build-history.js';

t.test('inTimeOrder merges by time, the timeline first at the same millisecond', async (t) => {
  const timeline = [
    { t: 0, line: 'a' },
    { t: 10, line: 'c' },
    { t: 30, line: 'e' },
  ];
  const logs = [
    { t: 10, line: 'd' },
    { t: 5, line: 'b' },
    { t: 40, line: 'f' },
  ];
  t.same(
    inTimeOrder(timeline, logs).map((l) => l.line),
    ['a', 'b', 'c', 'd', 'e', 'f'],
  );
  t.same(inTimeOrder([], []), []);
});

/** The textbook failover's events as the engine records them: the run, then Patroni's lines with the times they were logged. */
function recorded(): HistoryEvent[] {
  const run = failoverHistory().build().events;
  const logs: LogEvent[] = [
    { kind: 'log', t: 30_100, node: 'node2', source: 'patroni', line: 'INFO: promoted self to leader by acquiring session lock' },
    {
      kind: 'log',
      t: 45_200,
      node: 'node1',
      source: 'patroni',
      line: 'INFO: no action. I am (node1), a secondary, and following a leader (node2)',
    },
  ];
  return [...run, ...logs];
}

t.test('live, the timeline prints what happens as it happens, and holds the log lines that come after the run', async (t) => {
  const lines: string[] = [];
  const timeline = liveTimeline((l) => lines.push(l));
  for (const e of recorded()) timeline.listen(e);
  t.notMatch(lines.join('\n'), /patroni:/, 'no log line printed live, after the run');
  t.match(lines.at(-1), /rows read back from node2/, 'the live timeline ends with the run');
});

t.test('after the run, the whole timeline again with the log lines in time order', async (t) => {
  const lines: string[] = [];
  const timeline = liveTimeline((l) => lines.push(l));
  for (const e of recorded()) timeline.listen(e);
  const after = timeline.withLogs();
  t.match(after[1], /in time order, with Patroni's and HAProxy's own lines/);
  const merged = after.slice(2);
  t.equal(merged.length, lines.length + 2, 'every live line and both log lines');
  const promoted = merged.findIndex((l) => /promoted self to leader/.test(l));
  t.ok(promoted > 0, 'placed among the run, not after it');
  t.match(merged[promoted + 1], /^\s+31\.0 s\s+node2\s+replica tl 1 -> primary tl 2/, 'before the promotion the sampler saw');
  const seconds = merged.map((l) => Number.parseFloat(l));
  t.same(
    seconds,
    [...seconds].sort((a, b) => a - b),
    'stamps never go back',
  );
});

t.test('a run whose journals gave nothing adds nothing after it', async (t) => {
  const timeline = liveTimeline(() => {});
  for (const e of failoverHistory().build().events) timeline.listen(e);
  t.same(timeline.withLogs(), []);
});
