/**
 * The commented lab.yaml `lab init` writes, generated from the schema's own descriptions and
 * defaults so the sample can never disagree with what the validator accepts.
 */
import { stringify } from 'yaml';
import { LabSpecSchema } from './schema.js';

interface SchemaNode {
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  anyOf?: { const?: unknown }[];
  [key: string]: unknown;
}

const OPTIONAL_EXAMPLES: Record<string, unknown> = {
  nodes: [
    { name: 'node1', ip: '192.168.1.11' },
    { name: 'node2', ip: '192.168.1.12' },
    { name: 'node3', ip: '192.168.1.13' },
  ],
  'vm.boxName': 'ubuntu/jammy64',
  'docker.baseImage': 'ubuntu:22.04',
};

function choices(node: SchemaNode): string {
  return node.anyOf ? ` (${node.anyOf.map((a) => String(a.const)).join(' | ')})` : '';
}

function renderObject(node: SchemaNode, prefix: string, indent: string): string[] {
  const lines: string[] = [];
  const required = new Set((node.required as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.description) lines.push(`${indent}# ${child.description}${choices(child)}`);
    if (child.properties) {
      const body = renderObject(child, path, `${indent}  `);
      // A section whose every key is optional is written commented out, as YAML reads a bare `key:` as null.
      // An optional section (entry:) is off unless written: its lines are written commented out too.
      const optional = !required.has(key) && child.default === undefined;
      const allCommented = optional || body.every((l) => l.trimStart().startsWith('#'));
      const shown = optional
        ? body.map((l) => (l.trimStart().startsWith('#') ? l : `${indent}# ${l.slice(indent.length)}`))
        : body;
      lines.push(`${indent}${allCommented ? '# ' : ''}${key}:`, ...shown);
    } else if (required.has(key)) {
      lines.push(`${indent}${key}: ${stringify(child.default).trim()}`);
    } else {
      const example = stringify({ [key]: OPTIONAL_EXAMPLES[path] ?? '' })
        .trimEnd()
        .split('\n');
      lines.push(...example.map((l) => `${indent}# ${l}`));
    }
    if (!indent) lines.push('');
  }
  return lines;
}

export function sampleLabYaml(): string {
  return [
    '# yaml-language-server: $schema=./lab.schema.json',
    '# pgha-lab: Percona Distribution for PostgreSQL with Patroni, etcd and the softdog watchdog.',
    '# Every value below is the default; delete what you do not change. `lab generate` validates it.',
    '',
    ...renderObject(LabSpecSchema as unknown as SchemaNode, '', ''),
  ].join('\n');
}
