#!/usr/bin/env node
/** The `lab` executable: runs the command line (main.ts) on this process's arguments and exits with its code. */
import { hideBin } from 'yargs/helpers';
import { main } from './main.js';

process.exitCode = await main(hideBin(process.argv));
