/**
 * Handouts: one page per seat (how to connect, its addresses and credentials, its packages, the
 * exercises left at its stage (exercises.ts), the checkpoints) and an index for the trainer, each in
 * Markdown and HTML. Pure: one structure, two renderers.
 */
import { LAB_MOUNT } from '../render/provisioning.js';
import type { LabSpec } from '../spec/schema.js';
import type { Stage } from '../spec/workshop.js';
import { CHECKPOINTS, CHECKPOINT_TEXT } from './checkpoints.js';
import { packagesText, seatExercises, type Exercise, type ExerciseSpec } from './exercises.js';

export interface HandoutSeat {
  id: string;
  workshop: string;
  stage: Stage;
  engine: string;
  host: string;
  port: number;
  password: string;
  spec: ExerciseSpec & Pick<LabSpec, 'network'>;
}

/** A block of a page: a heading, paragraphs, a list, or commands. */
type Block = { h: string } | { p: string } | { ul: string[] } | { code: string };

function exerciseBlocks(ex: Exercise, n: number, first: string): Block[] {
  const blocks: Block[] = [{ h: `Exercise ${n}: ${ex.title}` }, ...ex.about.map((p) => ({ p }))];
  for (const step of ex.steps)
    blocks.push(
      { p: step.node === first ? `On ${first}:` : `On ${step.node} (from ${first}: \`ssh ${step.node}\`):` },
      { code: step.commands.join('\n') },
    );
  if (ex.fixes.length > 0)
    blocks.push(
      { p: 'The document gets these wrong; your files and commands have them right:' },
      { ul: ex.fixes.map((f) => `${f.mistake} Here: ${f.fix}`) },
    );
  blocks.push({ p: `Check (on ${first}): \`${ex.check}\`` });
  if (ex.turnsOn.length > 0)
    blocks.push({ p: `Then your trainer sees: ${ex.turnsOn.map((c) => CHECKPOINT_TEXT[c]).join('; ')}.` });
  if (ex.fallback)
    blocks.push({ p: `Stuck? The lab's own script does this step (on ${first}):` }, { code: ex.fallback.join('\n') });
  return blocks;
}

function seatBlocks(s: HandoutSeat): Block[] {
  const nodes = s.spec.nodes;
  const first = nodes[0]!.name;
  const blocks: Block[] = [
    { h: `Seat ${s.id} of workshop ${s.workshop}` },
    { h: 'Connect' },
    { code: `ssh root@${s.host} -p ${s.port}\n# password: ${s.password}` },
    {
      p: `You land on ${first}. From there every node answers to its name, as in the document: \`ssh node2\` needs no password. The lab's files are in ${LAB_MOUNT} on every node.`,
    },
    { h: 'Your seat' },
    {
      ul: [
        `network ${s.spec.network.subnet} (yours alone: no other seat can reach it)`,
        ...nodes.map((n) => `${n.name}: ${n.ip}`),
        `engine: ${s.engine}`,
        `starting stage: ${s.stage}`,
      ],
    },
    { p: packagesText(s.spec) },
  ];
  for (const [i, ex] of seatExercises(s.stage, s.spec).entries()) blocks.push(...exerciseBlocks(ex, i + 1, first));
  if (s.stage === 'full')
    blocks.push(
      { h: 'More: break it on purpose' },
      {
        ul: [
          `Switch over cleanly: \`patronictl -c ${s.spec.patroni.configPath} switchover\`.`,
          "Freeze the leader's Patroni (`pkill -STOP patroni`) and watch the watchdog reset its node.",
        ],
      },
    );
  blocks.push({ h: 'Checkpoints (your trainer sees them too)' }, { ul: CHECKPOINTS.map((c) => CHECKPOINT_TEXT[c]) });
  return blocks;
}

const escapeHtml = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Inline `code` in a paragraph or list item, escaped. */
const inlineHtml = (t: string): string => escapeHtml(t).replace(/`([^`]+)`/g, '<code>$1</code>');

function markdown(blocks: Block[]): string {
  let first = true;
  return (
    blocks
      .map((b) => {
        if ('h' in b) {
          const level = first ? '#' : '##';
          first = false;
          return `${level} ${b.h}`;
        }
        if ('p' in b) return b.p;
        if ('ul' in b) return b.ul.map((i) => `- ${i}`).join('\n');
        return '```sh\n' + b.code + '\n```';
      })
      .join('\n\n') + '\n'
  );
}

function html(title: string, blocks: Block[]): string {
  let first = true;
  const body = blocks
    .map((b) => {
      if ('h' in b) {
        const tag = first ? 'h1' : 'h2';
        first = false;
        return `<${tag}>${escapeHtml(b.h)}</${tag}>`;
      }
      if ('p' in b) return `<p>${inlineHtml(b.p)}</p>`;
      if ('ul' in b) return `<ul>${b.ul.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`;
      return `<pre><code>${escapeHtml(b.code)}</code></pre>`;
    })
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}pre{background:#f4f4f4;padding:.6em}td,th{padding:.2em .8em;text-align:left}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

export function renderSeatHandout(seat: HandoutSeat): { markdown: string; html: string } {
  const blocks = seatBlocks(seat);
  return { markdown: markdown(blocks), html: html(`Seat ${seat.id}`, blocks) };
}

/** The trainer's page: every seat with its entry and credentials, linking each seat's page. */
export function renderIndex(workshop: string, seats: readonly HandoutSeat[]): { markdown: string; html: string } {
  const rows = seats.map((s) => [s.id, s.engine, `ssh root@${s.host} -p ${s.port}`, s.password, s.spec.network.subnet]);
  const md = [
    `# Workshop ${workshop}: ${seats.length} seats`,
    '',
    '| seat | engine | connect | password | network |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| [${r[0]}](${r[0]}.md) | ${r.slice(1).join(' | ')} |`),
    '',
  ].join('\n');
  const table = `<table><tr><th>seat</th><th>engine</th><th>connect</th><th>password</th><th>network</th></tr>${rows
    .map(
      (r) =>
        `<tr><td><a href="${r[0]}.html">${r[0]}</a></td>${r
          .slice(1)
          .map((c) => `<td>${escapeHtml(c!)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</table>`;
  const page = html(`Workshop ${workshop}`, [{ h: `Workshop ${workshop}: ${seats.length} seats` }]).replace(
    '</h1>',
    `</h1>\n${table}`,
  );
  return { markdown: md, html: page };
}
