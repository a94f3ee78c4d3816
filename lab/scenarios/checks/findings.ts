/**
 * Known findings: behaviour of the software under test that a run can show and a person should not
 * have to rediscover. Each recognizer is a pure function of the History (Patroni's own log lines
 * included) and says what it saw; reports print them next to the checks, and CI uses them to tell
 * a known upstream bug from a regression of the lab.
 */
import { formatSeconds } from '../../clock.js';
import type { History, LogEvent } from '../history/history.js';

export interface Finding {
  id: string;
  node: string;
  summary: string;
  evidence: string[];
}

interface KnownFinding {
  id: string;
  recognize(history: History): Finding[];
}

const patroniLines = (history: History): LogEvent[] => history.events.filter((e): e is LogEvent => e.kind === 'log' && e.source === 'patroni');

/**
 * Patroni 4.0's etcd3 client retries a request on another member only for errors it recognises as
 * "unavailable". An etcd member being stopped can answer the leader's lease keepalive with a gateway
 * error Patroni does not recognise (`<Unknown error: ... 'error reading from server: EOF' ...>`), so
 * the leader gives up at once and demotes itself although etcd keeps its quorum.
 */
const etcd3UnknownErrorDemotion: KnownFinding = {
  id: 'patroni-etcd3-unknown-error-demotion',
  recognize(history) {
    const lines = patroniLines(history);
    return lines
      .filter((l) => /failed to update leader lock/i.test(l.line))
      .flatMap((failed) => {
        const cause = lines.find((l) => l.node === failed.node && /Unknown error/.test(l.line) && Math.abs(l.t - failed.t) <= 2000);
        if (!cause) return [];
        const demoted = lines.find((l) => l.node === failed.node && /demot/i.test(l.line) && l.t >= failed.t - 100);
        return [
          {
            id: this.id,
            node: failed.node,
            summary:
              `Patroni on ${failed.node} demoted its primary because its etcd3 client gave up on an error it does not recognise, ` +
              'instead of retrying another etcd member (an upstream Patroni bug; compare patroni/patroni#3407)',
            evidence: [cause, failed, ...(demoted ? [demoted] : [])].map((l) => `${formatSeconds(l.t)} ${l.node}: ${l.line}`),
          },
        ];
      })
      .filter((f, i, all) => all.findIndex((g) => g.node === f.node) === i);
  },
};

export const KNOWN_FINDINGS: readonly KnownFinding[] = [etcd3UnknownErrorDemotion];

export function recognizeFindings(history: History): Finding[] {
  return KNOWN_FINDINGS.flatMap((k) => k.recognize(history));
}
