/** The seat image's builder: labelled as the first seat's object, whatever labels the node image carries. */
import t from 'tap';
import { belongsTo, labFilter, LABEL_LAB, LABEL_ROLE } from '../../lab/providers/docker/naming.js';
import { seatBuilderSpec, seatImageTag } from '../../lab/workshop/seat-image.js';

t.test("the seat builder carries the seat lab's own labels, so the node image's builder lab cannot claim it", async (t) => {
  const spec = seatBuilderSpec('pgha-lab/node:0123456789abcdef', 'wsci-s01-abcdef');
  // A container carries its image's labels unless it sets its own: the node image says pgha-lab.lab=<the lab that built it>.
  t.equal(spec.Labels?.[LABEL_LAB], 'wsci-s01-abcdef', 'its lab label is set, not inherited');
  t.equal(spec.Labels?.[LABEL_ROLE], 'builder');
  t.ok(belongsTo('wsci-s01-abcdef', spec.Labels), "the seat's lab (so `lab workshop down`) removes it");
  t.notOk(belongsTo('dk1-123456', spec.Labels), "another lab's down does not, even the one that built the node image");
  t.same(
    labFilter('wsci-s01-abcdef', 'builder').label,
    [`${LABEL_LAB}=wsci-s01-abcdef`, `${LABEL_ROLE}=builder`],
    'and the builder filter finds it',
  );
});

t.test('the seat image tag follows the node image', async (t) => {
  t.equal(seatImageTag('sha256:aa'), seatImageTag('sha256:aa'));
  t.not(seatImageTag('sha256:aa'), seatImageTag('sha256:bb'));
  t.match(seatImageTag('sha256:aa'), /^pgha-lab\/workshop-node:[0-9a-f]{16}$/);
});
