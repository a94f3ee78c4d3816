/** What the two pictures share: the frame, the legend, the time axis. */
import t from 'tap';
import { svgDocument, svgLegend, svgTimeAxis, tickStep } from '../../lab/report/svg.js';

t.test('ticks: at most about twelve, at round spacings', async (t) => {
  t.equal(tickStep(10), 1);
  t.equal(tickStep(13), 2);
  t.equal(tickStep(90), 10);
  t.equal(tickStep(600), 60);
  t.equal(tickStep(3 * 3600), 900);
  t.equal(tickStep(100_000), 3600, 'past the list: an hour');
});

t.test('the time axis: a tick and a label a step, in minutes once the steps are minutes', async (t) => {
  const short = svgTimeAxis(3000, (ms) => ms / 10, 100);
  t.equal(short.length, 8, 'ticks at 0, 1, 2 and 3 s: a line and a label each');
  t.equal(short[0], '<line x1="0.0" y1="100" x2="0.0" y2="105" stroke="#555"/>');
  t.match(short[7]!, /x="300\.0" y="118"[^>]*>3s<\/text>/);
  const long = svgTimeAxis(600_000, (ms) => ms / 1000, 0);
  t.match(long.at(-1)!, />10m<\/text>/, 'ten minutes in minutes');
  t.match(long[1]!, />0s<\/text>/);
});

t.test('the legend: rows of four, a box or a line as the swatch, labels escaped', async (t) => {
  const parts = svgLegend(
    [
      { colour: '#111', label: 'a', swatch: 'box' },
      { colour: '#222', label: 'b', swatch: 'line' },
      { colour: '#333', label: 'c', swatch: 'box' },
      { colour: '#444', label: 'd', swatch: 'box' },
      { colour: '#555', label: 'e & f', swatch: 'box' },
    ],
    10,
    200,
    100,
  );
  t.equal(parts[0], '<rect x="10" y="190" width="12" height="12" fill="#111"/><text x="28" y="200" font-size="12">a</text>');
  t.match(parts[1]!, /^<line x1="110" x2="122"[^>]*stroke="#222"/);
  t.match(
    parts[4]!,
    /<rect x="10" y="208"[^>]*><text x="28" y="218" font-size="12">e &amp; f<\/text>/,
    'the fifth starts the second row',
  );
});

t.test('the frame: size, white ground, the title escaped, the parts in order', async (t) => {
  const svg = svgDocument({ width: 1000, height: 300, title: 'a <b>', titleAt: { x: 70, y: 20 }, crisp: true }, [
    '<p1/>',
    '<p2/>',
  ]);
  t.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="1000" height="300" viewBox="0 0 1000 300"[^>]*shape-rendering="crispEdges">/,
  );
  t.match(svg, /<text x="70" y="20" font-weight="bold">a &lt;b&gt;<\/text>\n<p1\/>\n<p2\/>\n<\/svg>\n$/);
  t.notMatch(svgDocument({ width: 1, height: 1, title: '', titleAt: { x: 0, y: 0 } }, []), /crispEdges/, 'smooth unless asked');
});
