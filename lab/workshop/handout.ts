/**
 * Handouts: one page per seat (how to connect, its addresses and credentials, the document's
 * exercises for the seat's stage with the document's mistakes already fixed, the checkpoints) and an
 * index for the trainer, each in Markdown and HTML. Pure: one structure, two renderers.
 */
import { DOCUMENT_FIXES } from '../render/index.js';
import { LAB_MOUNT, PROVISION_SCRIPTS, type ProvisionScript } from '../render/provisioning.js';
import type { LabSpec } from '../spec/schema.js';
import type { Stage } from '../spec/workshop.js';
import { CHECKPOINTS, CHECKPOINT_TEXT } from './checkpoints.js';

export interface HandoutSeat {
  id: string;
  workshop: string;
  stage: Stage;
  engine: string;
  host: string;
  port: number;
  password: string;
  spec: Pick<LabSpec, 'nodes' | 'network' | 'patroni'>;
}

/** A block of a page: a heading, paragraphs, a list, or commands. */
type Block = { h: string } | { p: string } | { ul: string[] } | { code: string };

/** What each provisioning script is, to an attendee, and which fixed mistakes of the document it concerns. */
const SCRIPT_EXERCISE: Record<
  Exclude<ProvisionScript['name'], 'packages' | 'pgbackrest'>,
  { title: string; files: (node: string) => string[]; fixesIn: RegExp; check: string }
> = {
  etcd: {
    title: 'Form the etcd cluster',
    files: (n) => [`${LAB_MOUNT}/nodes/${n}/etcd.env`],
    fixesIn: /etcd/,
    check: 'etcdctl member list',
  },
  watchdog: {
    title: 'Set up the watchdog',
    files: () => [`${LAB_MOUNT}/provision/30-watchdog.sh`],
    fixesIn: /watchdog/,
    check: 'cat /run/lab-watchdog.state',
  },
  patroni: {
    title: 'Start Patroni on every node',
    files: (n) => [`${LAB_MOUNT}/nodes/${n}/patroni.yml`],
    fixesIn: /patroni\.yml|10-packages/,
    check: 'patronictl -c /etc/patroni/config.yml list',
  },
};

/** The scripts an attendee runs by hand from a stage on (a seat has no backup: section, so no pgBackRest step). Pure. */
export function exerciseScripts(stage: Stage): ProvisionScript[] {
  const done = { packages: 0, etcd: 1, full: PROVISION_SCRIPTS.length - 1 }[stage];
  return PROVISION_SCRIPTS.filter((s, i) => i > done && s.name !== 'pgbackrest');
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
  ];
  const scripts = exerciseScripts(s.stage);
  if (scripts.length === 0) {
    blocks.push({ h: 'Exercises: break it on purpose' });
    blocks.push({
      ul: [
        'Find the leader: `patronictl -c /etc/patroni/config.yml list`.',
        'Fail it over: stop Patroni on the leader (`systemctl stop patroni`) and watch another node take over; start it again and watch it rejoin.',
        'Switch over cleanly: `patronictl -c /etc/patroni/config.yml switchover`.',
        "Freeze the leader's Patroni (`pkill -STOP patroni`) and watch the watchdog reset its node.",
      ],
    });
  }
  scripts.forEach((script, i) => {
    const ex = SCRIPT_EXERCISE[script.name as keyof typeof SCRIPT_EXERCISE];
    blocks.push({ h: `Exercise ${i + 1}: ${ex.title}` });
    blocks.push({
      p: `The configuration each node needs is already written, with the document's mistakes fixed: ${nodes.map((n) => ex.files(n.name).join(', ')).join('; ')}. Read it, then do the step on every node (from ${first}: \`ssh <node>\`):`,
    });
    blocks.push({
      code:
        nodes
          .map((n) => `ssh ${n.name} bash ${LAB_MOUNT}/provision/${script.script} ${LAB_MOUNT}/nodes/${n.name}/node.env`)
          .join('\n') +
        (script.name === 'etcd'
          ? '\n# etcd members wait for each other: run the three at once (e.g. each in its own shell, or with & and wait)'
          : ''),
    });
    const fixes = DOCUMENT_FIXES.filter((f) => f.where.some((w) => ex.fixesIn.test(w)));
    if (fixes.length > 0)
      blocks.push(
        { p: 'The document gets these wrong; your files have them right:' },
        { ul: fixes.map((f) => `${f.mistake} Here: ${f.fix}`) },
      );
    blocks.push({ p: `Check: \`${ex.check}\`` });
  });
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
