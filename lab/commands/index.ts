/** Every `lab` command, in the order `lab --help` lists them. Each lives in its own module. */
import type { CommandModule } from 'yargs';
import { initCommand } from './init.js';
import { upCommand } from './up.js';
import { statusCommand } from './status.js';
import { downCommand } from './down.js';
import { doctorCommand } from './doctor.js';
import { execCommand } from './exec.js';
import { sshCommand } from './ssh.js';
import { logsCommand } from './logs.js';
import { imageCommand } from './image.js';
import { generateCommand } from './generate.js';
import { scenarioCommand } from './scenario.js';
import { chaosCommand } from './chaos.js';
import { healCommand } from './heal.js';
import { envCommand } from './env.js';
import { workshopCommand } from './workshop.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [initCommand, generateCommand, upCommand, statusCommand, envCommand, downCommand, scenarioCommand, chaosCommand, healCommand, doctorCommand, execCommand, sshCommand, logsCommand, imageCommand, workshopCommand];
