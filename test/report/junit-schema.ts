/**
 * Validates a JUnit file as a CI dashboard's importer would: against a published schema,
 * test/fixtures/junit-10.xsd (Jenkins xUnit's, where it comes from is in its header), with libxml2's
 * xmllint compiled to WebAssembly (xmllint-wasm), so the tests need no program on the host.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { ROOT } from '../helpers.js';

const SCHEMA = path.join(ROOT, 'test/fixtures/junit-10.xsd');

/** What xmllint finds wrong in each file (`report-N.xml`, N from 1) against the schema, a line each; none when all are valid. */
export async function junitSchemaProblems(...xmls: string[]): Promise<string[]> {
  // One xmllint for all: each call starts a worker thread with its own WebAssembly instance.
  const result = await validateXML({
    xml: xmls.map((contents, i) => ({ fileName: `report-${i + 1}.xml`, contents })),
    schema: { fileName: 'junit-10.xsd', contents: await readFile(SCHEMA, 'utf8') },
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
