/**
 * Seeded fuzz sample (the benchmark `npm run bench:fuzz` runs 10,000 of the same stream): mutated
 * drafts must never throw, never hit the "Internal error" fallback, and always give bounded results.
 */
import { strict as assert } from 'node:assert';
import { extractDraft, type ExtractedDraft } from '../../../src/draft/extract';
import { fuzzCases, type FuzzCase } from '../../../src/bench/draftFuzz';
import { MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, MAX_WARNINGS } from '../../../src/draft/limits';

const SEED = 20261203;
const SAMPLE = 300;
const CHUNK = 50;

function check(c: FuzzCase, draft: ExtractedDraft): void {
  const where = `case ${c.id} (${c.kinds.join('+')}, ${c.options.fileName})`;
  assert.ok(!draft.warnings.some((w) => w.startsWith('Internal error')), `${where}: ${draft.warnings.join(' | ')}`);
  assert.ok((draft.title ?? '').length <= MAX_TITLE_CHARS, `${where}: title of ${draft.title?.length}`);
  assert.ok((draft.abstract ?? '').length <= MAX_ABSTRACT_CHARS, `${where}: abstract of ${draft.abstract?.length}`);
  assert.ok(draft.warnings.length <= MAX_WARNINGS, `${where}: ${draft.warnings.length} warnings`);
  for (const w of draft.warnings) assert.ok(w.length <= 2000, `${where}: a warning of ${w.length} characters`);
  assert.ok((draft.bodyText ?? '').length <= 2100, `${where}: body text of ${draft.bodyText?.length}`);
  assert.ok(draft.files.length <= 110, `${where}: ${draft.files.length} files`);
  for (const range of [draft.titleRange, draft.abstractRange]) {
    if (range) assert.ok(draft.files.includes(range.file), `${where}: a range in ${range.file}, which is not among the files read`);
  }
  assert.equal(draft.titleDisplay === undefined, draft.title === undefined, `${where}: title without display form (or the reverse)`);
  assert.equal(draft.abstractDisplay === undefined, draft.abstract === undefined, `${where}: abstract without display form (or the reverse)`);
  assert.ok((draft.titleDisplay ?? '').length <= 2 * MAX_TITLE_CHARS, `${where}: display title of ${draft.titleDisplay?.length}`);
  assert.ok((draft.abstractDisplay ?? '').length <= 2 * MAX_ABSTRACT_CHARS, `${where}: display abstract of ${draft.abstractDisplay?.length}`);
  if (c.text.includes('\u0000')) assert.equal(draft.title, undefined, `${where}: binary text was read`);
}

describe('draft extraction: seeded fuzz sample', function () {
  // A deadline, not a timing assertion: 50 drafts (some of 1 MB) on a busy shared machine.
  this.timeout(300_000);
  const cases = [...fuzzCases(SEED, SAMPLE)];

  it('the generator is deterministic and covers every mutation', () => {
    const again = [...fuzzCases(SEED, 20)];
    assert.deepEqual(again.map((c) => c.text), cases.slice(0, 20).map((c) => c.text));
    const kinds = new Set(cases.flatMap((c) => c.kinds));
    for (const k of ['byteFlips', 'truncate', 'insertTokens', 'deepNesting', 'megabyteRepeat', 'nul', 'unicode', 'crlf', 'macroBomb', 'includes', 'texRoot']) {
      assert.ok(kinds.has(k), `no ${k} case in the sample`);
    }
  });

  for (let from = 0; from < SAMPLE; from += CHUNK) {
    it(`cases ${from}-${from + CHUNK - 1}: no exception, bounded results`, () => {
      for (const c of cases.slice(from, from + CHUNK)) {
        let draft: ExtractedDraft;
        try {
          draft = extractDraft(c.text, c.options);
        } catch (err) {
          assert.fail(`case ${c.id} (${c.kinds.join('+')}) threw: ${(err as Error).stack}`);
        }
        check(c, draft);
      }
    });
  }
});
