/**
 * The lab.yaml reference (docs/lab-yaml.md) generated from the schema, so the documentation
 * states exactly what the validator accepts. A test fails when the committed file is stale.
 */
import { LabSpecSchema } from './schema.js';

interface SchemaNode {
  description?: string;
  default?: unknown;
  type?: string;
  properties?: Record<string, SchemaNode>;
  anyOf?: { const?: unknown }[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  allowed?: string;
}

function typeOf(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map((a) => `\`${String(a.const)}\``).join(' \\| ');
  if (node.allowed) return `string: ${node.allowed}`;
  if (node.type === 'array')
    return `list of ${node.items?.properties ? `{${Object.keys(node.items.properties).join(', ')}}` : 'values'}`;
  const range = node.minimum !== undefined || node.maximum !== undefined ? ` ${node.minimum ?? ''}..${node.maximum ?? ''}` : '';
  return `${node.type ?? 'value'}${range}`;
}

function rows(node: SchemaNode, prefix: string): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.properties) return rows(child, path);
    const extra = child.type === 'array' && child.items?.properties ? rows(child.items, `${path}[]`) : [];
    const def = child.default === undefined ? '(derived)' : `\`${JSON.stringify(child.default)}\``;
    return [`| \`${path}\` | ${typeOf(child)} | ${def} | ${child.description ?? ''} |`, ...extra];
  });
}

export function labYamlReference(): string {
  return [
    '# lab.yaml reference',
    '',
    'Generated from the schema (`lab/spec/schema.ts`); `lab init` writes a commented lab.yaml with these',
    'defaults, which reproduce the document. Every key is optional. Editors read `lab.schema.json`.',
    'Beyond the schema, `lab generate` checks: an odd number of nodes (2 is refused, 1 and even sizes warn),',
    "unique node names and addresses inside `network.subnet` (not its gateway), Patroni's minimums and",
    '`loop_wait + 2 * retry_timeout <= ttl`, `ttl - watchdog.safetyMargin > loopWait` when the watchdog is on,',
    'with `packageSource: distro` on VMs (VirtualBox, libvirt), the PostgreSQL version the Ubuntu release ships (22.04: 14, 24.04: 16),',
    "no `vm.boxName` with `vm.provider: docker` (Vagrant's docker provider boots no box),",
    "and with `entry:`, the HAProxy node's name and address (free, inside the subnet) and PgBouncer only beside HAProxy",
    '([entry-points.md](entry-points.md)).',
    '',
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows(LabSpecSchema as unknown as SchemaNode, ''),
    '',
  ].join('\n');
}
