/**
 * Classes of input that the fuzz benchmark (`npm run bench:fuzz`) found over its 0.5 s target, one test
 * each. They check the bound that makes the work small (what a scanner reads, how much source reaches the
 * parser), never the time taken.
 */
import { strict as assert } from 'node:assert';
import { extractDraft } from '../../../src/draft/extract';
import { maskComments, maskSource, scanEvents } from '../../../src/draft/latexScan';
import { parserWork } from '../../../src/draft/latexText';
import { MAX_RUN_COPIES, shortenRepeatedRuns } from '../../../src/draft/repeatRuns';

describe('draft extraction: slow classes found by the fuzz benchmark', () => {
  describe('include commands whose argument never closes', () => {
    it('1 MB of `\\input{\\input{...`: no include is read, and the file-name reader stops at the next brace', () => {
      // Each failed \input used to match braces 500 characters ahead: 140,000 x 500 characters per file.
      const text = '\\title{T}\n' + '\\input{'.repeat(140_000);
      const events = scanEvents(maskComments(text));
      assert.equal(events.filter((e) => e.kind === 'include').length, 0);
      // The property that keeps it linear: a nested brace ends the file-name argument at once.
      const nested = scanEvents(maskComments('\\input{\\detokenize{a}}\\input{b}'));
      assert.deepEqual(nested.filter((e) => e.kind === 'include').map((e) => (e as { file: string }).file), ['b']);
      assert.equal(extractDraft(text, { fileName: 'inputs.tex', readFile: () => 'never read' }).title, 'T');
    });

    it('ordinary include arguments are still read (spaces, quotes, \\import*, two arguments)', () => {
      const events = scanEvents(maskComments('\\input{ sections/intro }\n\\include{"ch 1"}\n\\import*{dir/}{file}\n\\subimport{a/} {b}\n\\input plain\n'));
      const incs = events.filter((e) => e.kind === 'include') as { command: string; dir?: string; file: string }[];
      assert.deepEqual(
        incs.map((e) => [e.command, e.dir, e.file]),
        [['input', undefined, 'sections/intro'], ['include', undefined, 'ch 1'], ['import', 'dir/', 'file'], ['subimport', 'a/', 'b'], ['input', undefined, 'plain']],
      );
    });
  });

  describe('runs of a short repeated unit reach the parser shortened', () => {
    it('an abstract of 1 MB of `[@`: at most 200 copies are parsed, not 10,000 characters, with a warning', () => {
      // unified-latex backtracks on every `[`: the 10,000 characters the abstract cap let through took ~0.5 s.
      const text = '\\title{T}\n\\begin{abstract}\nWe study X.\n' + '[@'.repeat(500_000) + '\n\\end{abstract}\n';
      const before = { ...parserWork };
      const draft = extractDraft(text, { fileName: 'runs.tex' });
      const parsed = parserWork.chars - before.chars;
      assert.ok(parsed <= 100 + 2 * MAX_RUN_COPIES, `${parsed} characters parsed in ${parserWork.parses - before.parses} parses`);
      assert.ok(draft.abstract?.startsWith('We study X. [@[@'), draft.abstract?.slice(0, 40));
      assert.ok(draft.warnings.some((w) => w.startsWith('A LaTeX passage repeats "[@" ')), draft.warnings.join('\n'));
    });

    it('the shortest period wins, whitespace runs are shortened without a warning, ordinary text is untouched', () => {
      assert.deepEqual(shortenRepeatedRuns('a' + '[@'.repeat(1000) + 'b'), { text: 'a' + '[@'.repeat(MAX_RUN_COPIES) + 'b', runs: [{ unit: '[@', copies: 1000 }] });
      assert.deepEqual(shortenRepeatedRuns('x' + ' '.repeat(5000) + 'y'), { text: 'x' + ' '.repeat(MAX_RUN_COPIES) + 'y', runs: [] });
      const ordinary = 'We study \\emph{robust} estimation with $x_i \\sim \\mathcal{N}(0, 1)$ --- ' + 'a b c '.repeat(30);
      assert.equal(shortenRepeatedRuns(ordinary).text, ordinary);
    });
  });

  describe('hidden blocks are blanked run by run', () => {
    it('a 1 MB unclosed comment environment: blanked whole, offsets and CR/LF line breaks kept', () => {
      // Blanking used one regex match per character (about 100 ms per MB); now one per line.
      const text = 'Keep \\begin{comment}' + 'x\r\ny\n'.repeat(10) + '# '.repeat(500_000);
      const { masked, visible } = maskSource(text);
      for (const m of [masked, visible]) {
        assert.equal(m.length, text.length);
        assert.equal(m.slice(0, 5), 'Keep ');
        assert.deepEqual(m.match(/[\r\n]/g), text.match(/[\r\n]/g));
        assert.equal(m.slice(5).trim(), '');
      }
    });
  });
});
