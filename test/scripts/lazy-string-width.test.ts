/**
 * scripts/lazy-string-width.cjs measures printable ASCII itself (its width is its length) and leaves
 * everything else to string-width, which it loads on first need. The shortcut must give what each
 * copy of string-width the bundle puts it in front of would give, or `lab --help` would wrap otherwise.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { ROOT } from '../helpers.js';

type Width = (text: string, options?: object) => number;
const { lazyStringWidth } = createRequire(import.meta.url)(path.join(ROOT, 'scripts/lazy-string-width.cjs')) as {
  lazyStringWidth: (load: () => Width) => Width;
};

/** The packages whose `import stringWidth from 'string-width'` the bundle redirects (yargs and cliui each have their own copy). */
const IMPORTERS = ['yargs', 'cliui', 'wrap-ansi'];
const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const HELP_LINE = '  -f, --file  The lab description (lab workshop reads -w instead)  [string] [default: "lab.yaml"]';

async function realCopies(): Promise<Map<string, Width>> {
  const copies = new Map<string, Width>();
  for (const importer of IMPORTERS) {
    const file = createRequire(path.join(ROOT, 'node_modules', importer, 'index.js')).resolve('string-width');
    if (!copies.has(file)) copies.set(file, ((await import(pathToFileURL(file).href)) as { default: Width }).default);
  }
  return copies;
}

t.test('every copy of string-width measures printable ASCII as its length, as the shortcut does', async (t) => {
  const copies = await realCopies();
  t.ok(copies.size >= 1, `found ${[...copies.keys()].join(', ')}`);
  for (const [file, real] of copies) {
    const wrong = [...PRINTABLE_ASCII, PRINTABLE_ASCII.join(''), HELP_LINE, ''].filter((text) => real(text) !== text.length);
    t.same(wrong, [], `${path.relative(ROOT, file)} agrees on every printable ASCII character and a help line`);
  }
});

t.test('printable ASCII is measured without loading string-width; other text by it, loaded once', async (t) => {
  let loads = 0;
  const width = lazyStringWidth(() => {
    loads++;
    return (text) => text.length * 10;
  });
  t.equal(width(HELP_LINE), HELP_LINE.length);
  t.equal(width(''), 0);
  t.equal(loads, 0, 'nothing loaded for ASCII');
  t.equal(width('café'), 40, 'a non-ASCII letter goes to the real one');
  t.equal(width('\u001b[1mbold\u001b[22m'), 130, 'so does an ANSI escape (its width is not its length)');
  t.equal(width('tab\there'), 80, 'and a control character');
  t.equal(loads, 1, 'loaded once');
});

t.test('the shortcut and string-width agree on text with wide, combining and coloured characters', async (t) => {
  for (const [file, real] of await realCopies()) {
    const width = lazyStringWidth(() => real);
    for (const text of ['中文', 'e\u0301', '\u001b[31mred\u001b[39m', '👍 ok', '--file  lab.yaml'])
      t.equal(width(text), real(text), `${path.relative(ROOT, file)}: ${JSON.stringify(text)}`);
  }
});
