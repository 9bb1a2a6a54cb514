/** One test per arXiv rule in src/server/arxivRules.ts (sources cited there). */
import { strict as assert } from 'node:assert';
import type { Prediction } from '../../../src/model/types';
import { ARXIV_RULES, archiveOf, canonicalCategory, reviewCategories } from '../../../src/server/arxivRules';

const scores = (ps: Record<string, number>) =>
  Object.entries(ps)
    .map(([category, p]) => ({ category, name: `${category} name`, p }))
    .sort((a, b) => b.p - a.p);
const prediction = (primary: Record<string, number>, cross: Record<string, number> = {}): Prediction => ({
  primary: scores(primary),
  crosslists: scores(cross),
  model: 'm',
});

describe('arXiv rules', () => {
  it('reclassification: a declared primary with p >= 0.5 is left alone; below, an alternative with p >= 0.57 is proposed', () => {
    assert.equal(reviewCategories(['cs.CL'], prediction({ 'cs.CL': 0.5, 'cs.CV': 0.5 })).proposal, undefined);
    assert.equal(reviewCategories(['cs.CL'], prediction({ 'cs.CL': 0.44, 'cs.CV': 0.56 })).proposal, undefined, '0.56 < 0.57');
    const r = reviewCategories(['cs.CL'], prediction({ 'cs.CL': 0.43, 'cs.CV': 0.57 }));
    assert.equal(r.proposal?.category, 'cs.CV');
    assert.equal(r.proposal?.p, 0.57);
    assert.equal(ARXIV_RULES.reclassification.proposalMinP, 0.57);
  });

  it('reclassification: the best alternative in the same archive comes first, then outside it', () => {
    // arXiv's classifier scores are independent, so two categories can both pass 0.57; the softmax of ours cannot,
    // but the rule is the rule: within the archive wins even when the outside one is higher.
    const both = reviewCategories(['math.AG'], prediction({ 'math.AG': 0.1, 'cs.LG': 0.9, 'math.CO': 0.6 }));
    assert.equal(both.proposal?.category, 'math.CO');
    assert.equal(both.proposal?.sameArchive, true);
    const outside = reviewCategories(['math.AG'], prediction({ 'math.AG': 0.1, 'cs.LG': 0.8, 'math.CO': 0.1 }));
    assert.equal(outside.proposal?.category, 'cs.LG', 'the same-archive best (0.1) is below 0.57: the outside one');
    assert.equal(outside.proposal?.sameArchive, false);
    assert.equal(archiveOf('math.MP'), 'math');
    assert.equal(archiveOf('math-ph'), 'math-ph');
  });

  it('aliases are one category; suggestions use the canonical name', () => {
    for (const [alias, canonical] of Object.entries({ 'math.MP': 'math-ph', 'stat.TH': 'math.ST', 'math.IT': 'cs.IT', 'q-fin.EC': 'econ.GN', 'cs.SY': 'eess.SY', 'cs.NA': 'math.NA' })) {
      assert.equal(canonicalCategory(alias), canonical);
    }
    // Declaring math.IT while the model's label is cs.IT: the same category, scored, no proposal.
    const same = reviewCategories(['math.IT'], prediction({ 'cs.IT': 0.8, 'cs.LG': 0.2 }));
    assert.equal(same.primary?.p, 0.8);
    assert.equal(same.proposal, undefined);
    // A model label under the alias name is proposed under the canonical name.
    const proposed = reviewCategories(['cs.LG'], prediction({ 'cs.LG': 0.2, 'cs.SY': 0.8 }));
    assert.equal(proposed.proposal?.category, 'eess.SY');
    // Cross-list suggestions too, and never the declared category under its other name.
    const cross = reviewCategories(['cs.LG', 'math.IT'], prediction({ 'cs.LG': 0.9 }, { 'cs.IT': 0.9, 'cs.SY': 0.5 }));
    assert.deepEqual(cross.suggestedCrossLists.map((s) => s.category), ['eess.SY']);
  });

  it('never proposes reclassifying a cs.CE primary or any econ.* primary', () => {
    const ce = reviewCategories(['cs.CE'], prediction({ 'cs.CE': 0.05, 'cs.LG': 0.95 }));
    assert.equal(ce.proposal, undefined);
    assert.match(ce.exemptReason ?? '', /cs\.CE/);
    const econ = reviewCategories(['econ.EM'], prediction({ other: 0.02, 'cs.LG': 0.98 }));
    assert.equal(econ.proposal, undefined);
    assert.match(econ.exemptReason ?? '', /econ/);
    assert.equal(reviewCategories(['cs.CV'], prediction({ 'cs.CV': 0.05, 'cs.LG': 0.95 })).proposal?.category, 'cs.LG', 'other cs primaries are checked');
  });

  it('cs.LG <-> stat.ML: the automatic cross-list is named, never suggested', () => {
    const lg = reviewCategories(['cs.LG'], prediction({ 'cs.LG': 0.9 }, { 'stat.ML': 0.8, 'cs.AI': 0.4 }));
    assert.deepEqual(lg.automaticCrossList, { category: 'stat.ML', forPrimary: 'cs.LG', declared: false });
    assert.deepEqual(lg.suggestedCrossLists.map((s) => s.category), ['cs.AI']);
    assert.ok(lg.proposedSet.reasons.some((r) => /arXiv adds stat\.ML .* cs\.LG primary by itself/.test(r)));
    assert.ok(!lg.proposedSet.crossLists.includes('stat.ML'));
    const ml = reviewCategories(['stat.ML', 'cs.LG'], prediction({ other: 0.9 }, { 'cs.LG': 0.8 }));
    assert.equal(ml.automaticCrossList?.category, 'cs.LG');
    assert.equal(ml.automaticCrossList?.declared, true);
    assert.equal(ml.crossLists[0].automatic, true);
  });

  it('more than two declared cross-lists: the third and later are beyond the advised number', () => {
    const r = reviewCategories(['cs.CL', 'cs.AI', 'cs.LG', 'cs.IR', 'stat.ML'], prediction({ 'cs.CL': 0.9 }));
    assert.deepEqual(
      r.crossLists.map((x) => [x.category, x.beyondAdvised]),
      [['cs.AI', false], ['cs.LG', false], ['cs.IR', true], ['stat.ML', true]],
    );
    // The automatic cross-list does not count against the author.
    const auto = reviewCategories(['cs.LG', 'stat.ML', 'cs.AI', 'cs.CV'], prediction({ 'cs.LG': 0.9 }));
    assert.deepEqual(auto.crossLists.map((x) => x.beyondAdvised), [false, false, false]);
  });

  it('a declared cross-list below the documented threshold on the cross-list head is unlikely', () => {
    assert.equal(ARXIV_RULES.crossLists.unlikelyBelowP, 0.01);
    const r = reviewCategories(['cs.CL', 'q-bio.NC', 'cs.AI', 'hep-th'], prediction({ 'cs.CL': 0.9 }, { 'cs.AI': 0.4, 'q-bio.NC': 0.0099 }));
    assert.deepEqual(
      r.crossLists.map((x) => [x.category, x.unlikely]),
      [['q-bio.NC', true], ['cs.AI', false], ['hep-th', false]],
      'hep-th is not scored by the cross-list head: no judgement',
    );
    assert.deepEqual(r.proposedSet.crossLists, ['cs.AI', 'hep-th']);
  });

  it('proposed set: primary as proposed, the declared primary kept as a cross-list, suggestions up to two', () => {
    const r = reviewCategories(['cs.LG'], prediction({ 'cs.LG': 0.2, 'cs.CV': 0.75 }, { 'cs.LG': 0.6, 'cs.AI': 0.35, 'eess.IV': 0.31 }));
    assert.equal(r.proposedSet.primary, 'cs.CV');
    assert.deepEqual(r.proposedSet.crossLists, ['cs.LG', 'cs.AI']);
    assert.match(r.proposedSet.reasons[0], /Primary cs\.CV instead of cs\.LG: the model gives cs\.LG 20% \(< 50%\) and cs\.CV 75% \(>= 57%\)/);
    const none = reviewCategories([], prediction({ other: 0.5, 'cs.CL': 0.3 }, { 'cs.AI': 0.5 }));
    assert.equal(none.proposedSet.primary, 'cs.CL', 'never the other bucket');
    assert.deepEqual(none.proposedSet.crossLists, ['cs.AI']);
  });
});
