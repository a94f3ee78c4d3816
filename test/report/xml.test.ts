import t from 'tap';
import { escapeXml } from '../../lab/report/xml.js';

t.test('the five characters XML gives meaning to are escaped, the rest kept', async (t) => {
  t.equal(escapeXml(`<a href="x">Tom & Jerry's</a>`), '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
  t.equal(escapeXml('node1 tl 2, lag 0 MB: ok'), 'node1 tl 2, lag 0 MB: ok');
  t.equal(escapeXml('&amp;'), '&amp;amp;', 'an entity already written is escaped again: the text is taken as text');
});
