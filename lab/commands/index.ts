/** Every `lab` command, in the order `lab --help` lists them. Each lives in its own module. */
import type { CommandModule } from 'yargs';
import { initCommand } from './init.js';
import { generateCommand } from './generate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [initCommand, generateCommand];
