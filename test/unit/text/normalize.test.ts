import { strict as assert } from 'assert';
import { MAX_MATH_WORDS, normalizeForModel as norm, wordsForNgrams } from '../../../src/model/text/normalize';

// Inputs marked "data:" are verbatim excerpts of abstracts in ../shared/data/arxiv_papers.jsonl.gz
// (arXiv ids given), so the normaliser is tested on the LaTeX that really occurs in training data.
describe('text/normalize: normalizeForModel on real abstracts', function () {
  const cases: Array<[string, string, string]> = [
    [
      'data 2503.12999: \\href{url}{url} -> one [url]',
      'The code is released at \\href{https://github.com/zengkaiya/CaT}{https://github.com/zengkaiya/CaT}.',
      'The code is released at [url] .',
    ],
    [
      'data 2503.13130: \\href keeps its link text',
      'Code is available \\href{https://github.com/qinghuannn/ChainHOI}{here}.',
      'Code is available [url] here.',
    ],
    [
      'data 2503.17793: ~ and \\url',
      'The models and data can be accessed at~\\url{https://huggingface.co/inclusionAI/Ling-Coder-lite}.',
      'The models and data can be accessed at [url] .',
    ],
    [
      "data 0704.0010: accent command \\'{c}",
      "Structures on a graph defined by means of semicubes, and Djokovi\\'{c}'s and Winkler's relations",
      "Structures on a graph defined by means of semicubes, and Djokovic's and Winkler's relations",
    ],
    [
      'data 0704.0019: accent command \\"o',
      'by using the Gr\\"obner basis.',
      'by using the Grobner basis.',
    ],
    [
      'data 0704.0504: inline math with \\sim and \\odot',
      'the neutron star mass can be as large as $\\sim 2 M_\\odot$.',
      'the neutron star mass can be as large as [math] sim 2 M odot .',
    ],
    [
      'data 0704.0620: \\rm dropped, decimals kept',
      'sharply peaked at $0.61 \\rm M_\\odot$. The WD distribution',
      'sharply peaked at [math] 0.61 M odot . The WD distribution',
    ],
    [
      'data 0704.0041: \\cite removed',
      'obtain the quantum double torus defined in \\cite{hajac} as the universal quantum group',
      'obtain the quantum double torus defined in as the universal quantum group',
    ],
    [
      'data 0704.0459: display math $$..$$ capped at MAX_MATH_WORDS words',
      'Our main result states that $$ |\\Gamma ^{j} (v)|\\ge | \\Gamma ^{j-1} (v)| + |\\Gamma (v)|-1.$$ As an application',
      'Our main result states that [math] Gamma j v ge Gamma j 1 v As an application',
    ],
    [
      'data 2503.17543: \\href with \\textcolor{colour}{text}',
      'Our Code is publicly available on~\\href{https://github.com/moeinheidari7829/Echo-E3Net}{\\textcolor{magenta}{GitHub}}.',
      'Our Code is publicly available on [url] GitHub.',
    ],
    [
      'data 0704.0128: bare URL -> [url], closing parenthesis kept',
      'The light curve repository website (http://www.swift.ac.uk/xrt_curves) contains light curves',
      'The light curve repository website ( [url] ) contains light curves',
    ],
    [
      'data 0704.0002: math before a hyphenated word',
      'We describe a new algorithm, the $(k,\\ell)$-pebble game with colors',
      'We describe a new algorithm, the [math] k ell -pebble game with colors',
    ],
    [
      'data 2503.15888-style: \\textit inside math is text, not a formula',
      'The task of $\\textit{Differentially Private Text Rewriting}$ is a class of text privatization techniques',
      'The task of Differentially Private Text Rewriting is a class of text privatization techniques',
    ],
    [
      'data 0704.0708: \\emph{x} -> x, single-symbol math -> the symbol name',
      'recovering the \\emph{a priori} unknown shape of an inclusion $\\omega$ inside a body $\\Omega$ from boundary',
      'recovering the a priori unknown shape of an inclusion omega inside a body Omega from boundary',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, function () {
      assert.equal(norm(input), expected);
    });
  }
});

describe('text/normalize: LaTeX constructs', function () {
  it('renders \\mathcal{O}(n \\log n) as [math] plus its words, and keeps $k$-means as a word', function () {
    assert.equal(
      norm('an $\\mathcal{O}(n \\log n)$ algorithm for $k$-means on $\\mathbb{R}^d$'),
      'an [math] O n log n algorithm for k-means on [math] R d',
    );
  });

  it('handles \\( \\), \\[ \\] and equation environments', function () {
    assert.equal(norm('an \\(\\alpha\\)-helix and \\[ \\int_0^\\infty e^{-x} dx \\] done'), 'an alpha-helix and [math] int 0 infty e x dx done');
    assert.equal(norm('see \\begin{equation*} E = mc^2 \\end{equation*} here'), 'see [math] E mc 2 here');
    assert.equal(norm('\\begin{itemize}\\item one \\item two\\end{itemize}'), 'one two');
  });

  it('limits a formula to MAX_MATH_WORDS words', function () {
    const out = norm('$a+b+c+d+e+f+g+h+i+j+k+l$');
    assert.equal(out, '[math] ' + 'abcdefgh'.split('').slice(0, MAX_MATH_WORDS).join(' '));
  });

  it('removes \\ref/\\label/\\eqref with options and keeps \\textbf content', function () {
    assert.equal(norm('In Sec.~\\ref{sec:x} and Eq.~\\eqref{eq:1}\\label{l} we use \\textbf{bold} and \\citep[p.~5]{a,b} text'), 'In Sec. and Eq. we use bold and text');
  });

  it('strips accents from commands and Unicode: \\"o -> o, é -> e, \\ss -> ss, \\o -> o', function () {
    assert.equal(norm('Schr\\"odinger, Erd\\H{o}s, Bj\\o rn, Stra\\ss e, S\\~{a}o, G\u00f6del, na\u00efve, \\v{C}ech'), 'Schrodinger, Erdos, Bjorn, Strasse, Sao, Godel, naive, Cech');
  });

  it('turns escapes into characters and quotes/dashes into plain forms', function () {
    assert.equal(norm('5\\% of \\$10 \\& more: ``GPT-4\'\' --- 3D'), '5% of $10 & more: "GPT-4" - 3D');
  });

  it('keeps unknown macros as words (\\method, \\ours are common in cs abstracts)', function () {
    assert.equal(norm('\\method{} beats \\ours.'), 'method beats ours .');
  });

  it('collapses whitespace and drops control characters', function () {
    assert.equal(norm('  a \n\t b\u0000c \r\n '), 'a b c');
  });
});

describe('text/normalize: malformed input never throws', function () {
  const bad = [
    '$', '$$', '\\', '{', '}', '{{{{', '\\"', '\\url{', '\\begin{equation} never closed', '\\end{x}',
    'Cost is $5 and more', 'unclosed \\( x', '$$ unclosed display', '\\textbf{unbalanced', '\\cite{', '\\href{a}',
    '\ud800 lone surrogate', '\u0000\u0001\u0002', 'a'.repeat(10000) + '$', '\\'.repeat(1001), '$'.repeat(999),
  ];
  for (const s of bad) {
    it(`handles ${JSON.stringify(s.length > 40 ? s.slice(0, 40) + '...' : s)}`, function () {
      const out = norm(s);
      assert.equal(typeof out, 'string');
      assert.ok(!/\s\s/.test(out) && out === out.trim(), 'whitespace is collapsed');
    });
  }

  it('drops a lone $ and keeps the text around it', function () {
    assert.equal(norm('Cost is $5 and more'), 'Cost is 5 and more');
    assert.equal(norm('Unbalanced {braces {here and \\textbf{there'), 'Unbalanced braces here and there');
  });

  it('returns "" for non-strings', function () {
    assert.equal(norm(undefined as unknown as string), '');
    assert.equal(norm(42 as unknown as string), '');
  });

  it('is linear on adversarial input (many unclosed delimiters)', function () {
    const s = '$$ \\( \\[ \\begin{equation} { '.repeat(20000);
    const t0 = Date.now();
    norm(s);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  });

  it('is deterministic', function () {
    const s = 'We show $\\mathcal{O}(n)$ for $k$-NN \\cite{x} at https://x.org/y.';
    assert.equal(norm(s), norm(s));
  });
});

describe('text/normalize: wordsForNgrams', function () {
  it('lower-cases, keeps 3d / gpt-4 / decimals / markers, drops punctuation and possessive s', function () {
    assert.deepEqual(
      wordsForNgrams("The 3D GPT-4 model's score (92.5%) on $\\mathcal{O}(n)$ at https://x.org, e.g. ImageNet-1k!"),
      ['the', '3d', 'gpt-4', 'model', 'score', '92.5', 'on', '[math]', 'o', 'n', 'at', '[url]', 'e.g', 'imagenet-1k'],
    );
  });

  it('strips accents and LaTeX like normalizeForModel', function () {
    assert.deepEqual(wordsForNgrams('Schr\\"odinger \\emph{equation} for $k$-means'), ['schrodinger', 'equation', 'for', 'k-means']);
  });

  it('returns [] for empty or punctuation-only input', function () {
    assert.deepEqual(wordsForNgrams(''), []);
    assert.deepEqual(wordsForNgrams('--- !!! ...'), []);
  });
});
