/**
 * Durations in scenario files, written against the lab's Patroni timings so one scenario fits the
 * default lab and a tuned one: `ttl + loop_wait + 10s`, `2 * retry_timeout`, `1500ms`, `(ttl - 5) / 2`.
 * A tiny recursive-descent evaluator (no eval): numbers with an optional unit (ms, s, m, h; bare = seconds),
 * the lab's timings by Patroni's names (seconds), + - * / and parentheses.
 */
import { Type, type TString } from '@sinclair/typebox';
import type { Timings } from './history/history.js';

/** The names bound expressions use, Patroni's (snake_case, as in its configuration), for the lab's timings. */
const TIMING_OF_NAME = new Map<string, keyof Timings>([
  ['ttl', 'ttl'],
  ['loop_wait', 'loopWait'],
  ['retry_timeout', 'retryTimeout'],
  ['primary_start_timeout', 'primaryStartTimeout'],
  ['safety_margin', 'safetyMargin'],
]);

export const TIMING_NAMES: readonly string[] = [...TIMING_OF_NAME.keys()];

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

type Token = { type: 'num'; value: number } | { type: 'name'; value: string } | { type: 'op'; value: string };

export class BoundSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?)(ms|s|m|h)?(?![A-Za-z_])|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new BoundSyntaxError(`unexpected "${text.slice(pos).trim()[0]}" at position ${pos + 1}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ type: 'num', value: Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']! });
    else if (m[3] !== undefined) tokens.push({ type: 'name', value: m[3] });
    else tokens.push({ type: 'op', value: m[4]! });
  }
  return tokens;
}

/** Checks the syntax and names without timings (the loader reports problems before anything runs). */
export function parseBound(text: string): (timings: Timings) => number {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const expectOp = (op: string) => {
    const t = tokens[i++];
    if (t?.type !== 'op' || t.value !== op) throw new BoundSyntaxError(`expected "${op}"`);
  };
  type Expr = (timings: Timings) => number;
  const primary = (): Expr => {
    const t = tokens[i++];
    if (!t) throw new BoundSyntaxError('expression ends too early');
    if (t.type === 'num') return () => t.value;
    if (t.type === 'name') {
      const key = TIMING_OF_NAME.get(t.value);
      if (key === undefined) throw new BoundSyntaxError(`unknown name "${t.value}"; expected one of ${TIMING_NAMES.join(', ')}`);
      return (timings) => timings[key];
    }
    if (t.value === '(') {
      const inner = sum();
      expectOp(')');
      return inner;
    }
    if (t.value === '-') {
      const inner = primary();
      return (timings) => -inner(timings);
    }
    throw new BoundSyntaxError(`unexpected "${t.value}"`);
  };
  const product = (): Expr => {
    let left = primary();
    for (let t = peek(); t?.type === 'op' && (t.value === '*' || t.value === '/'); t = peek()) {
      i++;
      const [l, r, op] = [left, primary(), t.value];
      left = op === '*' ? (x) => l(x) * r(x) : (x) => l(x) / r(x);
    }
    return left;
  };
  const sum = (): Expr => {
    let left = product();
    for (let t = peek(); t?.type === 'op' && (t.value === '+' || t.value === '-'); t = peek()) {
      i++;
      const [l, r, op] = [left, product(), t.value];
      left = op === '+' ? (x) => l(x) + r(x) : (x) => l(x) - r(x);
    }
    return left;
  };
  if (tokens.length === 0) throw new BoundSyntaxError('empty expression');
  const expr = sum();
  if (i < tokens.length) throw new BoundSyntaxError(`unexpected "${(tokens[i] as Token).value}" after the expression`);
  return (timings) => {
    const seconds = expr(timings);
    if (!Number.isFinite(seconds) || seconds < 0) throw new BoundSyntaxError(`"${text}" is ${seconds} s, not a duration`);
    return Math.round(seconds * 1000);
  };
}

/** A plain duration in milliseconds (`1500ms`, `90s`, `10m`, `2h`; bare = seconds), with no timings in it. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)(ms|s|m|h)?\s*$/.exec(text);
  if (!m) throw new BoundSyntaxError(`"${text}" is not a duration such as 1500ms, 30s, 10m or 2h`);
  return Math.round(Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']! * 1000);
}

/** Milliseconds a bound expression stands for in a lab with these timings. */
export function evaluateBound(text: string, timings: Timings): number {
  return parseBound(text)(timings);
}

/** A check parameter holding a bound; the loader checks the syntax of every one it finds (`bound: true`). */
export function BoundParam(defaultValue: string, description: string): TString {
  return Type.String({ default: defaultValue, description, bound: true });
}

export function isBoundParam(schema: unknown): boolean {
  return (schema as { bound?: unknown }).bound === true;
}
