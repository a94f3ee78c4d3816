/**
 * string-width as the bundle sees it (scripts/bundle.mjs puts it in front of every copy). Loading the
 * real module builds an Intl.Segmenter and compiles a \p{RGI_Emoji} regex: about 40 ms of every `lab`
 * start on an idle 2-core machine, paid even by `lab --version`, which measures no text. yargs measures
 * its help text (on every command it runs, to keep the help at hand), and that text is printable
 * ASCII, whose width is its length. So printable ASCII is measured here and anything else by the real
 * module, loaded on first need. test/scripts/lazy-string-width.test.ts checks that shortcut against
 * each copy of string-width installed.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A string-width that calls `load()` (which returns the real one) only for text it cannot measure itself. */
function lazyStringWidth(load) {
  let measure;
  return function stringWidth(text, options) {
    if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) return text.length;
    measure ??= load();
    return measure(text, options);
  };
}

module.exports = { lazyStringWidth };
