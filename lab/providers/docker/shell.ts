/** An interactive command in a container over the exec API (`lab ssh`): a TTY when we have one, raw mode, resizes. */
import type Docker from 'dockerode';
import { execExitCode } from './exec.js';

export async function interactiveExec(container: Docker.Container, argv: string[]): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const exec = await container.exec({
    Cmd: argv,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: tty,
    Env: [`TERM=${process.env.TERM ?? 'xterm'}`],
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: tty });
  const resize = (): void => {
    exec.resize({ h: process.stdout.rows, w: process.stdout.columns }).catch(() => undefined);
  };
  if (tty) {
    process.stdin.setRawMode(true);
    stream.pipe(process.stdout);
    resize();
    process.stdout.on('resize', resize);
  } else {
    container.modem.demuxStream(stream, process.stdout, process.stderr);
  }
  process.stdin.resume();
  process.stdin.pipe(stream);
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
  } finally {
    process.stdin.unpipe(stream);
    process.stdin.pause();
    if (tty) {
      process.stdin.setRawMode(false);
      process.stdout.off('resize', resize);
    }
  }
  return execExitCode(exec);
}
