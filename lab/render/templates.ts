/**
 * Reads the project's templates/ and provision/ folders (and tells scenarios/load.ts where the shipped
 * scenarios are), located from this module's own path: compiled code runs from dist/lab/render/, so
 * the package root is the nearest ancestor holding package.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

let root: string | undefined;

/** The package root: where templates/, provision/ and the shipped scenarios/ live. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pgha-lab: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

const texts = new Map<string, string>();

/** A file of the package, by its path from the package root (cached: the package does not change while we run). */
export function packageFile(path: string): string {
  let text = texts.get(path);
  if (text === undefined) {
    text = readFileSync(join(packageRoot(), path), 'utf8');
    texts.set(path, text);
  }
  return text;
}

/** Single-quoted for bash: safe for any value. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Single-quoted Ruby string: no interpolation. */
export function rubyQuote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const hb = Handlebars.create();
hb.registerHelper('sh', (v: unknown) => shellQuote(String(v)));
hb.registerHelper('rb', (v: unknown) => rubyQuote(String(v)));
// JSON strings are valid YAML double-quoted scalars: safe for passwords with any character.
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));

const compiled = new Map<string, HandlebarsTemplateDelegate>();
let partialsRegistered = false;

/** `{{> name}}` in a template is templates/partials/name.hbs: lines several files share, written once. */
function registerPartials(): void {
  if (partialsRegistered) return;
  for (const file of readdirSync(join(packageRoot(), 'templates/partials'))) {
    if (file.endsWith('.hbs')) hb.registerPartial(file.slice(0, -'.hbs'.length), packageFile(`templates/partials/${file}`));
  }
  partialsRegistered = true;
}

type HandlebarsTemplateDelegate = (context: unknown) => string;

/** Renders a Handlebars template of the package with `context`; no HTML escaping, unknown names are errors. */
export function renderTemplate(path: string, context: unknown): string {
  let template = compiled.get(path);
  if (!template) {
    registerPartials();
    template = hb.compile(packageFile(path), { noEscape: true, strict: true }) as HandlebarsTemplateDelegate;
    compiled.set(path, template);
  }
  return template(context);
}
