import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { loadClassifier, type BundleClassifier } from '../../../src/model/classifier';

const INSTRUMENT = {
  title: 'Design and on-sky performance of a fibre-fed high-resolution echelle spectrograph for a 4-m telescope',
  abstract:
    'We present the optical and mechanical design, the detector system and the on-sky commissioning of a fibre-fed, vacuum-enclosed, temperature-stabilised echelle spectrograph installed at the 4-m telescope of the observatory. The instrument covers 380 to 690 nm at a resolving power of 110,000. Wavelength calibration with a laser frequency comb and a Fabry-Perot etalon gives a long-term radial velocity precision of 0.5 m/s on bright stars, which makes the spectrograph suitable for the detection of Earth-mass exoplanets. We describe the data reduction pipeline, the throughput measured on standard stars and the scheduling of the first observing season.',
};

describe('honest views with the shipped model', function () {
  this.timeout(120_000);
  let model: BundleClassifier;
  before(async () => {
    model = await loadClassifier(path.join(__dirname, '../../../models/default'));
  });
  after(() => model?.dispose());

  it('carries a prediction set, 5 papers like yours and no caveats for a full English draft', async () => {
    const p = await model.classify(INSTRUMENT);
    const ins = p.insights!;
    assert.ok(ins.set && ins.set.categories.length >= 1 && ins.set.coverage === 0.9);
    assert.equal(ins.set.categories[0].category, p.primary[0].category);
    assert.equal(ins.neighbours?.length, 5);
    assert.equal(ins.text.provisional, undefined);
    assert.equal(ins.text.language, undefined);
  });

  it('an astronomical-instrumentation draft: "other" in the top 3 is explained by archive and folded-in categories', async function () {
    const p = await model.classify(INSTRUMENT);
    const rank = p.primary.findIndex((s) => s.category === 'other');
    assert.ok(rank >= 0 && rank <= 2, `other ranks ${rank}: ${p.primary.slice(0, 3).map((s) => `${s.category} ${s.p.toFixed(2)}`).join(', ')}`);
    const o = p.insights!.other!;
    const known = new Set(model.info.labels);
    assert.ok(o.archive, 'an archive is named');
    assert.ok(o.categories.length > 0);
    for (const c of o.categories) {
      assert.ok(!known.has(c.category), `${c.category} is folded into other`);
      assert.ok(c.category.startsWith(o.archive.code + '.'), `${c.category} is in ${o.archive.code}`);
    }
    // This draft: physics.optics and astro-ph.IM are the folded-in categories the cross-list head ranks highest.
    assert.ok(['physics', 'astro-ph'].includes(o.archive.code), o.archive.code);
    assert.ok((o.trainingPapers ?? 0) > 0);
    assert.match(o.note, /saw few papers there/);
  });

  it('a title alone is provisional', async () => {
    const p = await model.classify({ title: 'Speech translation with small models', abstract: '' });
    assert.match(p.insights!.text.provisional!.next, /Write an abstract/);
  });
});
