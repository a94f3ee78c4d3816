/** Renders the package's Handlebars templates (read through package-files.ts); quotes values for bash and Ruby. */
import Handlebars from 'handlebars';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageFile, packageRoot } from './package-files.js';

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
