import { strict as assert } from 'node:assert';
import type { LabeledPaper } from '../../../src/model/types';
import { EdaAugmenter } from '../../../src/training/augment/eda';
import { assertNoHeldOut, HeldOutLeakError, planAugmentation, runAugmentationPlan } from '../../../src/training/augment/planner';
import { SynonymAugmenter } from '../../../src/training/augment/synonyms';
import type { TextAugmenter } from '../../../src/training/augment/types';

function corpus(): LabeledPaper[] {
  const sizes: Record<string, number> = { 'cs.LG': 50, 'math.AP': 30, 'hep-th': 20, 'q-bio.GN': 7, 'econ.EM': 3 };
  const out: LabeledPaper[] = [];
  for (const [c, n] of Object.entries(sizes)) {
    for (let i = 0; i < n; i++) {
      out.push({
        id: `${c}-${i}`,
        title: `A study of problem ${i}`,
        abstract: `We consider the problem number ${i} and give a simple efficient solution with good accuracy in ${c}.`,
        primary: c,
        categories: [c],
      });
    }
  }
  return out;
}

describe('augment/planner', () => {
  const train = corpus();

  it('defaults: classes below the median are brought up to the median', () => {
    const plan = planAugmentation(train);
    assert.deepEqual(plan.targetClasses, ['econ.EM', 'q-bio.GN']); // median class size is 20
    assert.equal(plan.after['q-bio.GN'], 20);
    assert.equal(plan.after['econ.EM'], 15); // 3 papers x 4 copies max
    assert.equal(plan.shortfall['econ.EM'], 5); // wanted 17, 12 possible
    assert.equal(plan.copies.filter((c) => c.primary === 'q-bio.GN').length, 13);
    assert.equal(plan.after['cs.LG'], 50);
  });

  it('reaches upTo / ratio counts exactly and spreads copies evenly', () => {
    const plan = planAugmentation(train, { targetClasses: ['math.AP', 'q-bio.GN'], upTo: 40, maxCopiesPerPaper: 10 });
    assert.equal(plan.after['math.AP'], 40);
    assert.equal(plan.after['q-bio.GN'], 40);
    const perPaper = new Map<string, number>();
    for (const c of plan.copies.filter((c) => c.primary === 'q-bio.GN')) perPaper.set(c.paperId, (perPaper.get(c.paperId) ?? 0) + 1);
    assert.ok([...perPaper.values()].every((n) => n === 4 || n === 5), [...perPaper.values()].join(','));
    const r = planAugmentation(train, { targetClasses: ['hep-th'], ratio: 1.5 });
    assert.equal(r.after['hep-th'], 30);
    assert.ok(r.copies.every((c) => c.primary === 'hep-th'));
  });

  it('is deterministic for a seed', () => {
    assert.deepEqual(planAugmentation(train, { seed: 3 }), planAugmentation(train, { seed: 3 }));
    assert.notDeepEqual(planAugmentation(train, { seed: 3 }).copies, planAugmentation(train, { seed: 4 }).copies);
  });

  it('never plans held-out papers: throws when one is in the training list', () => {
    const heldOutIds = new Set(['q-bio.GN-2', 'val-1']);
    assert.throws(() => planAugmentation(train, { heldOutIds }), HeldOutLeakError);
    const clean = train.filter((p) => !heldOutIds.has(p.id));
    const plan = planAugmentation(clean, { heldOutIds });
    assert.ok(plan.copies.every((c) => !heldOutIds.has(c.paperId)));
    assert.throws(() => assertNoHeldOut([{ ...train[0], id: 'val-1#eda' }], heldOutIds), /held-out/);
  });

  it('runAugmentationPlan makes the planned copies with labels kept and unique ids', async () => {
    const plan = planAugmentation(train, { targetClasses: ['econ.EM'], upTo: 9 });
    const out = await runAugmentationPlan(plan, train, [new EdaAugmenter(), new SynonymAugmenter()], { seed: 1 });
    assert.equal(out.length, 6);
    assert.ok(out.every((p) => p.primary === 'econ.EM' && p.categories[0] === 'econ.EM'));
    assert.equal(new Set(out.map((p) => p.id)).size, 6);
    assert.ok(out.some((p) => p.id.includes('#eda')) && out.some((p) => p.id.includes('#syn')));
    await assert.rejects(
      runAugmentationPlan(plan, train, [new EdaAugmenter()], { seed: 1, heldOutIds: new Set(['econ.EM-0']) }),
      HeldOutLeakError,
    );
  });

  it('back-translation is used once per paper; later copies go to the next augmenter', async () => {
    const seen: string[][] = [];
    const fake = (name: TextAugmenter['name']): TextAugmenter => ({
      name,
      augment: async (papers) => {
        seen.push([name, ...papers.map((p) => p.id)]);
        return papers.map((p) => ({ ...p, id: `${p.id}#${name}` }));
      },
    });
    const plan = planAugmentation(train, { targetClasses: ['econ.EM'], upTo: 12 }); // 3 copies of each paper
    await runAugmentationPlan(plan, train, [fake('backtranslation'), fake('eda')], { seed: 1 });
    const bt = seen.find((s) => s[0] === 'backtranslation')!.slice(1);
    assert.equal(bt.length, 3);
    assert.equal(new Set(bt).size, 3);
    assert.equal(seen.find((s) => s[0] === 'eda')!.length - 1, 6);
  });
});
