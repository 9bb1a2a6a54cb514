import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { normalizeForModel } from '../../../src/model/text/normalize';
import { loadTokenizer, WordPieceTokenizer } from '../../../src/model/text/tokenizer';
import { learnWordPieceVocab, SPECIAL_TOKENS } from '../../../src/training/vocabBuilder';

const DATA = path.resolve(__dirname, '../../../../shared/data/arxiv_papers.jsonl.gz');

describe('text/vocabBuilder: learnWordPieceVocab', function () {
  it('puts [PAD] [UNK] [CLS] [SEP] [MASK] at 0..4, then characters, then ## characters', function () {
    const v = learnWordPieceVocab(['ba ab'], { size: 9, includeAscii: false });
    assert.deepEqual(v, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', '##a', '##b']);
    assert.deepEqual(SPECIAL_TOKENS, v.slice(0, 5));
  });

  it('merges the most frequent pair first and stops below minFreq', function () {
    // words: aa x2, ab x1 -> pairs (a,##a)=2, (a,##b)=1
    const base = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'b', '##a', '##b'];
    assert.deepEqual(learnWordPieceVocab(['aa ab', 'aa'], { size: 20, minFreq: 2, includeAscii: false }), [...base, 'aa']);
    assert.deepEqual(learnWordPieceVocab(['aa ab', 'aa'], { size: 20, minFreq: 1, includeAscii: false }), [...base, 'aa', 'ab']);
    assert.deepEqual(learnWordPieceVocab(['aa ab', 'aa'], { size: 10, minFreq: 1, includeAscii: false }), [...base, 'aa']);
  });

  it('builds continuation pieces with ## and merges whole frequent words', function () {
    const v = learnWordPieceVocab(['lower lowest newer newest '.repeat(5)], { size: 40, includeAscii: false });
    const t = WordPieceTokenizer.fromVocab(v);
    assert.ok(v.includes('##est') || v.includes('##st'), 'a suffix piece was learned');
    assert.equal(new Set(v).size, v.length, 'no duplicates');
    for (const w of ['lower', 'lowest', 'newer', 'newest']) assert.ok(!t.tokenize(w).includes('[UNK]'), w);
  });

  it('breaks frequency ties lexicographically, independent of input order', function () {
    const a = learnWordPieceVocab(['cd ab', 'xy'], { size: 30, minFreq: 1, includeAscii: false });
    const b = learnWordPieceVocab(['xy', 'ab cd'], { size: 30, minFreq: 1, includeAscii: false });
    assert.deepEqual(a, b);
    assert.deepEqual(a.slice(-3), ['ab', 'cd', 'xy']);
  });

  it('respects a size too small for all characters (keeps the most frequent)', function () {
    const v = learnWordPieceVocab(['aaa b c'], { size: 7, includeAscii: false });
    assert.deepEqual(v, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', '##a']);
  });

  it('lower-cases and splits punctuation like the tokenizer', function () {
    const v = learnWordPieceVocab(['Hi, HI!'], { size: 50, minFreq: 1, includeAscii: false });
    assert.ok(v.includes('hi') && v.includes(',') && v.includes('!'));
    assert.ok(!v.includes('H'));
  });

  it('includes all printable ASCII by default, so raw LaTeX characters are not [UNK]', function () {
    const v = learnWordPieceVocab(['plain words only'], { size: 400 });
    for (const c of ['\\', '{', '}', '~', '^', '_', '$']) assert.ok(v.includes(c) && v.includes('##' + c), c);
    const t = WordPieceTokenizer.fromVocab(v);
    assert.ok(!t.tokenize('$\\alpha_{x}^2$ ~').includes('[UNK]'));
  });

  it('rejects a size below the special tokens', function () {
    assert.throws(() => learnWordPieceVocab(['a'], { size: 3, includeAscii: false }), /size/);
  });

  describe('on real abstracts', function () {
    let train: string[] = [];
    let held: string[] = [];
    before(function () {
      if (!fs.existsSync(DATA)) {
        console.warn(`    (skipped: data file not found at ${DATA})`);
        this.skip();
      }
      const lines = zlib.gunzipSync(fs.readFileSync(DATA)).toString('utf8').split('\n', 4000);
      const texts = lines.filter(Boolean).map((l) => {
        const r = JSON.parse(l) as { title: string; abstract: string };
        return normalizeForModel(r.title + ' ' + r.abstract);
      });
      train = texts.slice(0, 3000);
      held = texts.slice(3000);
    });

    it('is deterministic and gives few [UNK] and fewer tokens than characters on held-out abstracts', function () {
      const v1 = learnWordPieceVocab(train, { size: 4000 });
      const v2 = learnWordPieceVocab(train, { size: 4000 });
      assert.deepEqual(v1, v2);
      assert.equal(v1.length, 4000);
      const tok = WordPieceTokenizer.fromVocab(v1);
      let unk = 0;
      let total = 0;
      let chars = 0;
      for (const t of held) {
        const ids = tok.ids(t);
        total += ids.length;
        chars += t.length;
        for (const id of ids) if (id === tok.unkId) unk++;
      }
      assert.ok(total > 0);
      assert.ok(unk / total < 0.002, `[UNK] rate ${unk / total}`);
      assert.ok(chars / total > 3.5, `only ${chars / total} chars per token`);

      // A learned vocab saved as vocab.txt loads back with the same ids (no token holds a newline).
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vocab-rt-'));
      try {
        fs.writeFileSync(path.join(dir, 'vocab.txt'), v1.join('\n') + '\n');
        const back = loadTokenizer(dir);
        assert.deepEqual(back.vocab(), v1);
        assert.deepEqual(back.ids(held[0]), tok.ids(held[0]));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
