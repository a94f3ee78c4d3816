import t from 'tap';
import { COMMANDS } from '../../lab/commands/index.js';
import { USAGE, type CommandName } from '../../lab/commands/usage.js';
import { packageVersion } from '../../lab/render/package-files.js';
import { runLab } from '../helpers.js';

t.test("each command's module takes its usage line from the table `lab --help` is built from", async (t) => {
  t.same(Object.keys(COMMANDS), Object.keys(USAGE), 'a loader for every command, in the order help lists them');
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    const command = await COMMANDS[name]();
    t.same({ command: command.command, describe: command.describe }, USAGE[name], name);
  }
});

t.test('the built executable answers --help from the table and --version from package.json', async (t) => {
  const help = await runLab(['--help']);
  t.equal(help.exitCode, 0);
  for (const usage of Object.values(USAGE)) t.match(help.stdout, `lab ${usage.command}`, usage.command);
  const version = await runLab(['--version']);
  t.equal(version.exitCode, 0);
  t.equal(version.stdout, packageVersion());
});
