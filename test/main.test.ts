/** The command line's first look: which command's module to load, read without a parser. */
import t from 'tap';
import { commandName } from '../lab/main.js';

t.test('the command is the first word that is no option and no value of -f or -d', async (t) => {
  t.equal(commandName(['status']), 'status');
  t.equal(commandName(['-f', 'ci/lab.yaml', 'status', '--json']), 'status', "-f's value is not the command");
  t.equal(commandName(['--dir', 'labs/x', '-f', 'x.yaml', 'up']), 'up');
  t.equal(commandName(['--file=x.yaml', 'down']), 'down', 'an option with its value attached');
  t.equal(commandName(['workshop', 'up', '-w', 'w.yaml']), 'workshop');
  t.equal(commandName(['--help']), undefined, 'none: every command is loaded, for help');
  t.equal(commandName(['-f']), undefined, 'a missing value is the full parse to explain');
  t.equal(commandName(['--', 'status']), undefined, 'nothing after -- is a command');
});
