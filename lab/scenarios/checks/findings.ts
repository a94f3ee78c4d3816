/**
 * Known findings: behaviour of the software under test that a run can show and a person should not
 * have to rediscover. Each recognizer is a pure function of the History (Patroni's own log lines
 * included) and says what it saw; reports print them next to the checks, and CI uses them to tell
 * a known upstream bug from a regression of the lab.
 */
import { formatSeconds } from '../../clock.js';
import type { History, LogEvent } from '../history/history.js';
import { isHung, pathOps } from './path-figures.js';

export interface Finding {
  id: string;
  /**
   * upstream: a known bug of the software under test, proven by its own log lines; a check it makes
   * fail is excused (CI reports it as TODO). observation: what the run showed that a person should
   * read (hung operations); it excuses nothing.
   */
  kind: 'upstream' | 'observation';
  /** The node (or, for an entry path's finding, the path) it concerns. */
  node: string;
  summary: string;
  evidence: string[];
}

interface KnownFinding {
  id: string;
  recognize(history: History): Finding[];
}

const patroniLines = (history: History): LogEvent[] =>
  history.events.filter((e): e is LogEvent => e.kind === 'log' && e.source === 'patroni');

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
        const cause = lines.find(
          (l) => l.node === failed.node && /Unknown error/.test(l.line) && Math.abs(l.t - failed.t) <= 2000,
        );
        if (!cause) return [];
        const demoted = lines.find((l) => l.node === failed.node && /demot/i.test(l.line) && l.t >= failed.t - 100);
        return [
          {
            id: this.id,
            kind: 'upstream' as const,
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

/** What a hung operation's error says happened, by its message. */
function hungMeaning(error: string | undefined): string {
  if (error === undefined) return 'no answer before the run ended';
  if (/connection timeout|timeout exceeded when trying to connect|timeout expired/i.test(error))
    return 'no session within the connect bound: the entry point took the connection but reached no server (the one it still held up was gone, or none was up)';
  if (/statement timeout/i.test(error)) return 'the server cancelled it at statement_timeout';
  return 'the session gave no answer within the query bound';
}

/**
 * An entry path's operation that got no answer within the client's bound (2 s per statement, 1 s to
 * connect through a pool), or none before the run ended. The client gives up and goes on; an
 * application with longer or no timeouts would sit there instead, which the path's downtime (counted
 * between answers) does not show.
 */
const hungOperations: KnownFinding = {
  id: 'entry-path-hung-operations',
  recognize(history) {
    const hung = pathOps(history).filter(isHung);
    return [...new Set(hung.map((o) => o.path))].map((path) => {
      const mine = hung.filter((o) => o.path === path);
      const byMeaning = new Map<string, number>();
      for (const o of mine) byMeaning.set(hungMeaning(o.error), (byMeaning.get(hungMeaning(o.error)) ?? 0) + 1);
      return {
        id: this.id,
        kind: 'observation' as const,
        node: path,
        summary:
          `${mine.length} operation(s) on ${path} hung: no answer within the client's bound, so it gave up and went on; ` +
          'an application without such a bound would have waited there (the downtime, counted between answers, does not show it)',
        evidence: [
          ...[...byMeaning].map(([meaning, n]) => `${n} x ${meaning}`),
          ...mine
            .slice(0, 5)
            .map(
              (o) =>
                `${formatSeconds(o.invokedAt)} ${o.op} #${o.id}: ${o.error ?? 'no answer before the run ended'}${o.completedAt !== null ? ` (after ${formatSeconds(o.completedAt - o.invokedAt)})` : ''}`,
            ),
        ],
      };
    });
  },
};

export const KNOWN_FINDINGS: readonly KnownFinding[] = [etcd3UnknownErrorDemotion, hungOperations];

/** The findings that excuse a failing check: known upstream bugs, not observations. */
export const excusing = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.kind === 'upstream');

export function recognizeFindings(history: History): Finding[] {
  return KNOWN_FINDINGS.flatMap((k) => k.recognize(history));
}
