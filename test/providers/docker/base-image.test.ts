/** `lab image base`: the Debian mirror it builds from. */
import t from 'tap';
import { parseMirror } from '../../../lab/providers/docker/base-image.js';

t.test('the Debian mirror from apt sources', async (t) => {
  t.equal(parseMirror('Types: deb\n# comment\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n'), 'http://deb.debian.org/debian');
  t.equal(parseMirror('deb [arch=amd64] http://mirror.example/debian bookworm main\n'), 'http://mirror.example/debian');
  t.equal(parseMirror('URIs: http://deb.debian.org/debian-security\n'), undefined, 'the security archive has no base system');
  t.equal(parseMirror(''), undefined);
});
