/** What a node's systemd said when it exited instead of booting: the log's text, its last lines. */
import t from 'tap';
import { lastLogLines, logText } from '../../../lab/providers/docker/systemd.js';

const frame = (stream: number, text: string): Buffer => {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
};

t.test("the engine's framed log becomes text; a TTY's log is text already", async (t) => {
  t.equal(
    logText(Buffer.concat([frame(1, 'systemd 262-1 running\n'), frame(2, 'Exiting PID 1...\n')])),
    'systemd 262-1 running\nExiting PID 1...\n',
  );
  t.equal(logText(Buffer.from('plain line\n')), 'plain line\n');
  t.equal(logText(Buffer.alloc(0)), '');
});

t.test("the last lines, without systemd's colours", async (t) => {
  const log =
    'Detected virtualization docker.\r\n\x1b[0;1;31mDetected cgroup v1 hierarchy at /sys/fs/cgroup/, which is no longer supported by current version of systemd.\x1b[0m\n\n[\x1b[0;1;31m!!!!!!\x1b[0m] Detected unsupported legacy cgroup hierarchy, refusing execution.\n';
  t.equal(
    lastLogLines(log, 2),
    'Detected cgroup v1 hierarchy at /sys/fs/cgroup/, which is no longer supported by current version of systemd.\n[!!!!!!] Detected unsupported legacy cgroup hierarchy, refusing execution.',
  );
});
