/**
 * anomalies: the list-append transactions' reads fit one serial order of the consistency model
 * checked (Elle's list-append checker: anomalies/). Every anomaly found is listed, with the first
 * few of each kind explained; those the model allows are listed as allowed and do not fail the run.
 */
import { Type } from '@sinclair/typebox';
import type { History } from '../history/history.js';
import { analyse } from './anomalies/analyse.js';
import { MODELS, modelFor, type ModelName } from './anomalies/models.js';
import { result, type CheckDefinition } from './types.js';

const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

const params = Type.Object(
  {
    model: Type.Union([Type.Literal('auto'), ...MODEL_NAMES.map((m) => Type.Literal(m))], {
      default: 'auto',
      description: "the consistency model checked; auto: the transactions' isolation level's",
    }),
  },
  { additionalProperties: false },
);

export const anomalies: CheckDefinition<typeof params> = {
  name: 'anomalies',
  describe:
    'list-append transactions fit one serial order of the model checked: no G0, G1a, G1b, G1c, G-single, G2-item cycle, lost append, incompatible order or duplicate that the model forbids (runs by itself when append clients ran)',
  params,
  implicitWhen: (history) => history.events.some((e) => e.kind === 'txn'),
  run(history: History, { model: asked }) {
    const name = 'anomalies';
    const levels = new Set(history.events.flatMap((e) => (e.kind === 'txn' && e.isolation ? [e.isolation] : [])));
    const model = asked === 'auto' ? modelFor(levels) : asked;
    const analysis = analyse(history, model);
    const forbidden = analysis.anomalies.filter((a) => MODELS[model].forbids.has(a.class));
    const counts = new Map<string, number>();
    for (const a of analysis.anomalies) counts.set(a.name, (counts.get(a.name) ?? 0) + 1);
    const { ok, fail, info } = analysis.transactions;
    const figures = {
      transactions: ok + fail + info,
      ok,
      fail,
      info,
      anomalies: analysis.anomalies.length,
      forbidden: forbidden.length,
    };
    const tally = [...counts].map(([n, c]) => `${c} ${n}`).join(', ');
    const evidence = [
      `model checked: ${model}${asked === 'auto' ? ` (isolation ${[...levels].join(', ') || 'not recorded'})` : ''}`,
      `${ok + fail + info} transactions: ${ok} ok, ${fail} failed, ${info} indeterminate`,
      ...analysis.anomalies.flatMap((a) =>
        a.lines.length === 0
          ? []
          : [MODELS[model].forbids.has(a.class) ? a.lines[0]! : `allowed by ${model}: ${a.lines[0]}`, ...a.lines.slice(1)],
      ),
    ];
    if (ok === 0)
      return result(name, 'unknown', `no transaction was acknowledged: nothing to check against ${model}`, evidence, figures);
    if (forbidden.length > 0) return result(name, 'fail', `${model} violated: ${tally}`, evidence, figures);
    return result(
      name,
      'pass',
      `${ok} transactions fit ${model}${analysis.anomalies.length > 0 ? ` (allowed by it: ${tally})` : ''}`,
      evidence,
      figures,
    );
  },
};
