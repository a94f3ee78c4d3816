/**
 * The plain value of a parsed user YAML document (lab.yaml, a scenario file). Aliases are expanded
 * under the yaml library's own bound, so a document of nested aliases (a "billion laughs") is
 * refused at once as bad input instead of growing without end.
 */
import type { Document } from 'yaml';

/** Alias expansions one document may make (as the yaml library counts them); real files need a few. */
export const MAX_YAML_ALIASES = 100;

/** The document's value, or the one-line reason it has none. */
export function yamlValue(doc: Document): { value: unknown } | { problem: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (e) {
    // toJS throws only for aliases: too many expansions, or one used before its anchor.
    if (!(e instanceof ReferenceError)) throw e;
    if (/excessive alias count/i.test(e.message)) {
      return {
        problem: `too many YAML aliases (more than ${MAX_YAML_ALIASES} expansions: a "billion laughs" document?); write the values out instead of nesting aliases`,
      };
    }
    return { problem: `not valid YAML: ${e.message.split('\n')[0]}` };
  }
}
