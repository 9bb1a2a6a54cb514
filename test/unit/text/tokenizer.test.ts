import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTokenizer, WordPieceTokenizer } from '../../../src/model/text/tokenizer';

const SCIBERT_VOCAB = path.resolve(__dirname, '../../../../shared/models/scibert_scivocab_uncased/vocab.txt');
const FIXTURES = path.resolve(__dirname, '../../fixtures/tokenizer');

/**
 * Expected SciBERT ids. Provenance: a separate Python re-typing of HF transformers' BERT
 * BasicTokenizer + WordpieceTokenizer (unicodedata categories, do_lower_case=True) run over the
 * real vocab.txt, cross-checked by hand with grep on the vocab for the first cases, e.g.
 * "unaffable": unaffable/unaffa/unaff/unaf are absent, "una"=10313; then ##ffable/##ffab/##ffa are
 * absent, "##ff"=274, "##able"=318 (longest match first). ids = line number - 1.
 */
const SCIBERT_CASES: Array<{ name: string; text: string; tokens: string[]; ids: number[] }> = [
  {
    name: 'unaffable-style splits, punctuation split off',
    text: 'Unaffable results: BERT-style WordPiece tokenization!',
    tokens: ['una', '##ff', '##able', 'results', ':', 'bert', '-', 'style', 'word', '##piece', 'token', '##ization', '!'],
    ids: [10313, 274, 318, 545, 862, 24921, 579, 9702, 3824, 28158, 13842, 640, 3190],
  },
  {
    name: 'accents stripped (NFD, drop Mn) after lower-casing',
    text: 'Schr\u00f6dinger \u00e9quation f\u00fcr \u00c5ngstr\u00f6m-scale na\u00efve caf\u00e9',
    tokens: ['schr', '##oding', '##er', 'equation', 'fur', 'ang', '##strom', '-', 'scale', 'naive', 'caf', '##e'],
    ids: [16545, 2666, 114, 2037, 878, 1692, 16975, 579, 2211, 13687, 21306, 30107],
  },
  {
    name: 'CJK ideographs split one per token (absent from SciBERT -> [UNK] each)',
    text: '\u6df1\u5ea6\u5b66\u4e60 (deep learning) \u6a21\u578b',
    tokens: ['[UNK]', '[UNK]', '[UNK]', '[UNK]', '(', 'deep', 'learning', ')', '[UNK]', '[UNK]'],
    ids: [101, 101, 101, 101, 145, 4631, 1904, 546, 101, 101],
  },
  {
    name: 'every ASCII punctuation char is its own token ($ \\ ^ [ ])',
    text: 'f(x)=x^2+1, e.g., $\\alpha$ & 50% [sic].',
    tokens: ['f', '(', 'x', ')', '=', 'x', '^', '2', '+', '1', ',', 'e', '.', 'g', '.', ',', '$', '\\', 'alpha', '$', '&', '50', '%', '[', 'sic', ']', '.'],
    ids: [125, 145, 412, 546, 275, 412, 7273, 170, 473, 158, 422, 139, 205, 159, 205, 422, 3250, 4088, 6010, 3250, 894, 1539, 1863, 260, 11034, 1901, 205],
  },
  {
    name: 'clean text: \\t \\n and NBSP are spaces, NUL and zero-width space (Cf) vanish inside the word',
    text: 'tab\there new\nline\u0000zero\u200bwidth\u00a0nbsp',
    tokens: ['tab', 'here', 'new', 'line', '##zero', '##width', 'nb', '##sp'],
    ids: [7217, 1530, 758, 972, 7811, 4364, 10516, 896],
  },
  {
    name: 'digits and hyphenated model names',
    text: '3D GPT-4 achieves 92.5% on ImageNet-1k.',
    tokens: ['3', '##d', 'gp', '##t', '-', '4', 'achieves', '92', '.', '5', '%', 'on', 'image', '##net', '-', '1', '##k', '.'],
    ids: [239, 30118, 5712, 30108, 579, 286, 11616, 8698, 205, 305, 1863, 191, 1572, 4324, 579, 158, 30135, 205],
  },
  {
    name: 'literal special-token text is ordinary text (no injection)',
    text: 'A literal [CLS] token and [MASK] here.',
    tokens: ['a', 'literal', '[', 'cl', '##s', ']', 'token', 'and', '[', 'mask', ']', 'here', '.'],
    ids: [106, 24580, 260, 326, 30113, 1901, 13842, 137, 260, 11660, 1901, 1530, 205],
  },
  {
    name: 'emoji (astral), Devanagari with a spacing mark, vulgar fraction -> [UNK]',
    text: '\ud83e\udd16 robots and \u0915\u093f symbols \u00bd',
    tokens: ['[UNK]', 'robots', 'and', '[UNK]', 'symbols', '[UNK]'],
    ids: [101, 10222, 137, 101, 8035, 101],
  },
  {
    name: 'Hangul (decomposed to jamo by NFD) -> [UNK]; combining acute accents dropped',
    text: '\ud55c\uad6d\uc5b4 and e\u0301te\u0301 combining',
    tokens: ['[UNK]', 'and', 'et', '##e', 'combining'],
    ids: [101, 137, 365, 30107, 6484],
  },
  {
    name: 'long words split greedily into many pieces',
    text: 'Pneumonoultramicroscopicsilicovolcanoconiosis is hyperparameterization',
    tokens: ['pneum', '##ono', '##ult', '##ram', '##icro', '##sc', '##opic', '##sil', '##ico', '##vol', '##can', '##ocon', '##iosis', 'is', 'hyper', '##parameter', '##ization'],
    ids: [6335, 7194, 793, 8658, 8152, 974, 7729, 11424, 6000, 5111, 5617, 12631, 20001, 165, 1884, 15308, 640],
  },
  {
    name: 'U+2028 and ideographic space separate words',
    text: 'Transformer\u2028line separator \u3000ideographic space',
    tokens: ['transformer', 'line', 'separ', '##ator', 'ide', '##ographic', 'space'],
    ids: [14982, 972, 1769, 1005, 2161, 2936, 1630],
  },
];

describe('text/tokenizer: parity with BERT uncased WordPiece on SciBERT vocab', function () {
  let tok: WordPieceTokenizer;
  before(function () {
    if (!fs.existsSync(SCIBERT_VOCAB)) {
      console.warn(`    (skipped: SciBERT vocab not found at ${SCIBERT_VOCAB})`);
      this.skip();
    }
    tok = WordPieceTokenizer.fromVocabFile(SCIBERT_VOCAB);
  });

  it('finds the special tokens by name at SciBERT ids', function () {
    assert.equal(tok.vocabSize, 31090);
    assert.deepEqual([tok.padId, tok.unkId, tok.clsId, tok.sepId, tok.maskId], [0, 101, 102, 103, 104]);
  });

  for (const c of SCIBERT_CASES) {
    it(c.name, function () {
      assert.deepEqual(tok.tokenize(c.text), c.tokens);
      assert.deepEqual(tok.ids(c.text), c.ids);
    });
  }

  it('words over 100 characters become one [UNK]; exactly 100 are split', function () {
    const ids = tok.ids('a'.repeat(101) + ' ok ' + 'a'.repeat(100));
    // "aaaa"=18159 then 32 x "##aaa"=26055 (4 + 96 = 100 chars); "ok"=9174
    assert.deepEqual(ids, [101, 9174, 18159, ...new Array(32).fill(26055)]);
  });

  it('encode adds [CLS]/[SEP], pads with [PAD] and reports the real length', function () {
    const e = tok.encode('Unaffable results', 8);
    assert.deepEqual(Array.from(e.ids), [102, 10313, 274, 318, 545, 103, 0, 0]);
    assert.equal(e.length, 6);
    assert.ok(e.ids instanceof Int32Array);
  });

  it('truncation keeps the closing [SEP]', function () {
    const e = tok.encode('Unaffable results: BERT-style WordPiece tokenization!', 6);
    assert.deepEqual(Array.from(e.ids), [102, 10313, 274, 318, 545, 103]);
    assert.equal(e.length, 6);
  });

  it('encode without special tokens truncates and pads plain ids', function () {
    assert.deepEqual(Array.from(tok.encode('Unaffable results: BERT', 4, false).ids), [10313, 274, 318, 545]);
    const e = tok.encode('deep learning', 4, false);
    assert.deepEqual(Array.from(e.ids), [4631, 1904, 0, 0]);
    assert.equal(e.length, 2);
  });

  it('empty / whitespace-only text encodes to [CLS] [SEP]', function () {
    assert.deepEqual(tok.ids(''), []);
    assert.deepEqual(tok.ids(' \t\n\u0000 '), []);
    assert.deepEqual(Array.from(tok.encode('   ', 4).ids), [102, 103, 0, 0]);
  });

  it('rejects a maxLen that cannot hold [CLS] [SEP]', function () {
    assert.throws(() => tok.encode('x', 1), /maxLen/);
    assert.throws(() => tok.encode('x', 2.5), /maxLen/);
  });

  it('gives the same ids on repeated calls (word cache is transparent)', function () {
    const t = SCIBERT_CASES[1].text + ' ' + SCIBERT_CASES[0].text;
    assert.deepEqual(tok.ids(t), tok.ids(t));
    assert.deepEqual(tok.ids(t), [...SCIBERT_CASES[1].ids, ...SCIBERT_CASES[0].ids]);
  });

  it('vocab() returns a copy', function () {
    const v = tok.vocab();
    assert.equal(v[101], '[UNK]');
    v[101] = 'x';
    assert.equal(tok.vocab()[101], '[UNK]');
  });
});

describe('text/tokenizer: fromVocab', function () {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'a', '##b', '##c'];

  it('does greedy longest-match-first with ## continuation', function () {
    const t = WordPieceTokenizer.fromVocab(vocab);
    assert.deepEqual(t.tokenize('unaffable abc unx'), ['un', '##aff', '##able', 'a', '##b', '##c', '[UNK]']);
    assert.equal(t.vocabSize, vocab.length);
  });

  it('lowercase:false keeps case (and accents)', function () {
    const t = WordPieceTokenizer.fromVocab([...vocab, 'Un', 'é'], { lowercase: false });
    assert.deepEqual(t.tokenize('Unaffable é'), ['Un', '##aff', '##able', 'é']);
  });

  it('requires the special tokens', function () {
    assert.throws(() => WordPieceTokenizer.fromVocab(['[PAD]', 'a']), /no \[UNK\] token/);
    assert.throws(() => WordPieceTokenizer.fromVocab([]), /empty/);
  });
});

describe('text/tokenizer: loadTokenizer', function () {
  it('reads an HF tokenizer.json (WordPiece) and its normalizer.lowercase=false', function () {
    const t = loadTokenizer(path.join(FIXTURES, 'hf-json-cased'));
    // tokenizer.json wins over the vocab.txt next to it (which has other ids)
    assert.equal(t.vocabSize, 12);
    assert.equal(t.lowercase, false);
    assert.deepEqual(t.tokenize('Hello hello Worlds world!'), ['Hello', 'hello', 'Wor', '##ld', '##s', 'world', '!']);
    assert.deepEqual(Array.from(t.encode('Hello', 4).ids), [2, 5, 3, 0]);
  });

  it('reads vocab.txt, lower-casing by default', function () {
    const t = loadTokenizer(path.join(FIXTURES, 'vocab-txt'));
    assert.equal(t.lowercase, true);
    assert.deepEqual(t.tokenize('HELLO Worlds! Caf\u00e9'), ['hello', 'world', '##s', '!', 'cafe']);
    assert.deepEqual(t.ids('HELLO Worlds! Caf\u00e9'), [5, 6, 7, 8, 9]);
  });

  it('honours do_lower_case=false from tokenizer_config.json next to vocab.txt', function () {
    const t = loadTokenizer(path.join(FIXTURES, 'vocab-txt-cased'));
    assert.deepEqual(t.ids('Hello hello'), [5, 6]);
  });

  it('fails clearly when the folder has neither file', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-empty-'));
    try {
      assert.throws(() => loadTokenizer(dir), /No tokenizer in .*expected tokenizer\.json or vocab\.txt/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  const corrupt: Array<[string, RegExp]> = [
    ['corrupt-json', /tokenizer\.json: malformed JSON/],
    ['bpe-json', /model type "BPE" is not supported/],
    ['gap-json', /ids are not contiguous/],
    ['no-unk', /no \[UNK\] token/],
    ['binary-vocab', /not a vocab\.txt \(binary data\)/],
  ];
  for (const [dir, re] of corrupt) {
    it(`fails clearly on a bad file: ${dir}`, function () {
      assert.throws(() => loadTokenizer(path.join(FIXTURES, dir)), re);
    });
  }
});
