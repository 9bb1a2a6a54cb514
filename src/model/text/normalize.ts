/**
 * LaTeX-aware normalisation of a title or abstract, applied identically to the training data
 * (arXiv metadata keeps raw LaTeX) and to the user's draft, so both reach the model in one form.
 *
 * Choices (deterministic; each is cheap and keeps classification signal):
 * - Math. Formulas are strong category evidence (physics/maths use many; `$\sim$`, `M_\odot`,
 *   `\hbar` point to astro/quant-ph, `\mathcal{O}(n \log n)` to cs/maths) but their exact form is
 *   noise. A formula becomes the marker "[math]" followed by the names of the commands and the
 *   letters/numbers inside, at most MAX_MATH_WORDS of them; style/spacing commands (\mathrm,
 *   \left, \frac, ...) are dropped:  `$\mathcal{O}(n \log n)$` -> "[math] O n log n".
 *   An inline formula that is just one identifier (`$k$`, `$n$`, `$\alpha$`, `$\mathbb{R}$`) is
 *   written as that word without the marker, so compounds survive: `$k$-means` -> "k-means",
 *   `$\alpha$-helix` -> "alpha-helix". The marker is bracketed so that it cannot be confused with
 *   the word "math" (common in cs.CL "math word problems"); BERT splits it into "[ math ]".
 * - \cite, \ref, \label, ... are removed (no signal). \url{..} and bare URLs become "[url]":
 *   "code is available at <url>" is a mild but real signal (mostly cs), while the address is noise.
 * - \emph{x}, \textbf{x}, ... -> x; \href{url}{x} -> "[url] x"; \textcolor{c}{x} -> x; environments other
 *   than math environments keep their content. Unknown macros keep their name as a word
 *   (`\method`, `\ours` are frequent in cs abstracts).
 * - Accents: `\"o`, `\'{e}`, `\v{c}` and Unicode diacritics are all stripped to the base letter
 *   (BERT uncased does this too), `\ss` -> ss, `\o` -> o; `~` -> space; ``quotes'' -> "; -- -> -.
 * - Case is kept (the tokenizers lower-case); whitespace is collapsed.
 *
 * One left-to-right scan with bounded look-ahead for closing delimiters: linear time, no
 * recursion, and it never throws (unbalanced braces are dropped, a `$` without a partner is
 * dropped, an unclosed environment is kept as text).
 */

/** At most this many words are kept from one formula. */
export const MAX_MATH_WORDS = 8;
/** Closing delimiters further away than these are not searched for (keeps malformed input linear). */
const MAX_INLINE_MATH = 1000;
const MAX_DISPLAY_MATH = 5000;
const MAX_GROUP = 2000;

const MATH_MARK = ' [math] ';
const URL_MARK = ' [url] ';

const MATH_ENVS = new Set([
  'equation', 'align', 'gather', 'multline', 'eqnarray', 'displaymath', 'math', 'flalign', 'alignat',
  'split', 'cases', 'array', 'matrix', 'pmatrix', 'bmatrix', 'vmatrix', 'smallmatrix',
]);

/** Commands removed with their argument(s). */
const DROP_WITH_ARG = new Set([
  'cite', 'citep', 'citet', 'citealt', 'citealp', 'citeauthor', 'citeyear', 'nocite', 'parencite',
  'textcite', 'autocite', 'ref', 'eqref', 'autoref', 'cref', 'Cref', 'pageref', 'nameref', 'label',
  'vspace', 'hspace', 'includegraphics', 'bibliography', 'bibliographystyle', 'thanks', 'unicode',
  'color', 'pagestyle', 'setlength', 'documentclass', 'usepackage',
]);
/** Commands whose first argument is dropped and whose second argument is text. */
const DROP_FIRST_ARG = new Set(['href', 'textcolor', 'colorbox']);

/** Formatting / layout commands that vanish (their braced argument, if any, stays as text). */
const TEXT_DROP = new Set([
  'emph', 'textbf', 'textit', 'texttt', 'textsc', 'textrm', 'textsf', 'textup', 'textmd', 'textsl',
  'textnormal', 'underline', 'uline', 'mbox', 'hbox', 'fbox', 'text', 'textsuperscript',
  'textsubscript', 'footnote', 'ensuremath', 'protect', 'relax', 'xspace', 'it', 'bf', 'em', 'rm',
  'sc', 'tt', 'sf', 'sl', 'up', 'tiny', 'scriptsize', 'footnotesize', 'small', 'normalsize', 'large',
  'Large', 'LARGE', 'huge', 'Huge', 'noindent', 'indent', 'par', 'newline', 'linebreak', 'centering',
  'item', 'hfill', 'vfill', 'smallskip', 'medskip', 'bigskip', 'quad', 'qquad', 'maketitle',
  'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathcal', 'mathbb', 'mathfrak', 'mathscr',
  'boldsymbol', 'bm', 'cal', 'displaystyle', 'textstyle', 'left', 'right', 'big', 'Big', 'bigg',
  'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'nolimits', 'limits', 'operatorname', 'mathop', 'mathrel',
  'frac', 'tfrac', 'dfrac', 'hat', 'widehat', 'bar', 'overline', 'tilde', 'widetilde', 'vec',
  'dot', 'ddot', 'mathring', 'scriptstyle', 'phantom', 'hphantom', 'vphantom', 'mathclap',
  'textcircled', 'ce', 'SI', 'si', 'num', 'unit', 'qty',
]);
/** Inside math the same commands vanish (style, spacing, decorations). */
const MATH_DROP = TEXT_DROP;

/** Letters and symbols with a fixed text form. */
const TEXT_WORDS: Record<string, string> = {
  ss: 'ss', ae: 'ae', AE: 'AE', oe: 'oe', OE: 'OE', o: 'o', O: 'O', aa: 'a', AA: 'A', l: 'l', L: 'L',
  i: 'i', j: 'j', ldots: '...', dots: '...', textellipsis: '...', cdots: '...', textendash: '-',
  textemdash: '-', LaTeX: 'LaTeX', TeX: 'TeX', textasciitilde: '~', textbackslash: ' ', textquotedblleft: '"',
  textquotedblright: '"', eg: 'e.g.', ie: 'i.e.', etal: 'et al.', textregistered: '', texttrademark: '',
  copyright: '', textdegree: ' degree ', degree: ' degree ', textmu: 'mu', textpercent: '%',
};
/** Letter-named accent commands (`\v{c}`, `\H{o}`); single-char ones are `\" \' \` \^ \~ \= \.`. */
const LETTER_ACCENTS = new Set(['u', 'v', 'H', 'c', 'k', 'r', 'd', 'b', 't']);
const SYMBOL_ACCENTS = new Set(['"', "'", '`', '^', '~', '=', '.']);

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta',
  'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'varpi', 'rho', 'varrho', 'sigma', 'varsigma',
  'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda',
  'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega', 'ell', 'hbar', 'aleph', 'infty', 'nabla',
  'partial',
]);

const RE_SPECIAL = /[\\$~{}]/g;
const RE_URL = /\b(?:https?:\/\/|www\.)[^\s{}<>"\\]*[^\s{}<>"\\.,;:!?)\]']/g;
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
const RE_NON_ASCII = /[^\x00-\x7f]/;
const RE_MN = /\p{Mn}/gu;
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const RE_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const RE_WS = /\s+/g;
const RE_URL_RUN = /\[url\](?:\s*\[url\])+/g;
const RE_LETTER = /[A-Za-z]/;
const RE_MATH_WORD = /\d+(?:\.\d+)?|[\p{L}\p{N}]+/gu;
const RE_TEXT_IN_MATH = /^\s*\\(?:text[a-z]*|mathrm|mbox|emph)\s*\{([^{}\\$]*)\}\s*$/;

/** LaTeX-aware normalisation of a title or abstract (see the file comment). Never throws. */
export function normalizeForModel(s: string): string {
  if (typeof s !== 'string' || s.length === 0) return '';
  try {
    let t = s.replace(RE_CONTROL, ' ');
    if (t.includes('http') || t.includes('www.')) t = t.replace(RE_URL, URL_MARK);
    if (t.includes('``') || t.includes("''")) t = t.replace(/``|''/g, '"');
    if (t.includes('--')) t = t.replace(/-{2,3}/g, '-');
    t = scan(t);
    if (RE_NON_ASCII.test(t)) t = t.normalize('NFD').replace(RE_MN, '').normalize('NFC');
    if (t.includes('[url]')) t = t.replace(RE_URL_RUN, '[url] '); // \href{url}{url} -> one marker
    return t.replace(RE_WS, ' ').trim();
  } catch {
    // Defensive only: the scanner has no known throwing path. Never fail a classification on text.
    return s.replace(RE_WS, ' ').trim();
  }
}

/**
 * Lower-cased word tokens for the n-gram model, after normalizeForModel: letters/digits joined by
 * inner hyphens or dots ("gpt-4", "3d", "e.g", "0.5"), the markers "[math]" and "[url]" as
 * words; punctuation and possessive 's dropped.
 */
export function wordsForNgrams(s: string): string[] {
  const t = normalizeForModel(s).toLowerCase().replace(/['\u2019]s\b/g, '');
  return t.match(/\[(?:math|url)\]|[\p{L}\p{N}]+(?:[-.][\p{L}\p{N}]+)*/gu) ?? [];
}

function scan(s: string): string {
  let out = '';
  let i = 0;
  const n = s.length;
  const re = RE_SPECIAL;
  while (i < n) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) {
      out += s.slice(i);
      break;
    }
    const j = m.index;
    if (j > i) out += s.slice(i, j);
    const c = s[j];
    if (c === '{' || c === '}') {
      i = j + 1;
    } else if (c === '~') {
      out += ' ';
      i = j + 1;
    } else if (c === '$') {
      i = dollarMath(s, j, (text) => (out += text));
    } else {
      i = command(s, j, (text) => (out += text));
    }
  }
  return out;
}

/** Handles `$..$` / `$$..$$` starting at j; returns the index after it. */
function dollarMath(s: string, j: number, emit: (t: string) => void): number {
  if (s[j + 1] === '$') {
    const end = findWithin(s, '$$', j + 2, MAX_DISPLAY_MATH);
    if (end >= 0) {
      emit(mathText(s.slice(j + 2, end), true));
      return end + 2;
    }
    return j + 2; // unclosed $$: drop the delimiter
  }
  let k = j + 1;
  for (;;) {
    k = findWithin(s, '$', k, MAX_INLINE_MATH - (k - j));
    if (k < 0) return j + 1; // lone $: drop it
    if (s[k - 1] !== '\\') break;
    k++;
  }
  emit(mathText(s.slice(j + 1, k), false));
  return k + 1;
}

/** Handles a backslash command starting at j; returns the index after it. */
function command(s: string, j: number, emit: (t: string) => void): number {
  const n = s.length;
  let e = j + 1;
  if (e >= n) return n;
  if (!RE_LETTER.test(s[e])) {
    const sym = s[e];
    if (sym === '(' || sym === '[') {
      const close = sym === '(' ? '\\)' : '\\]';
      const end = findWithin(s, close, e + 1, MAX_DISPLAY_MATH);
      if (end >= 0) {
        emit(mathText(s.slice(e + 1, end), sym === '['));
        return end + 2;
      }
      return e + 1;
    }
    if (SYMBOL_ACCENTS.has(sym)) return accent(s, e + 1, emit);
    if ('&%$#_'.includes(sym)) emit(sym);
    else if (sym !== '{' && sym !== '}' && sym !== '-' && sym !== '/' && sym !== '@') emit(' ');
    return e + 1;
  }
  while (e < n && RE_LETTER.test(s[e])) e++;
  const name = s.slice(j + 1, e);
  if (s[e] === '*') e++;
  if (name === 'begin' || name === 'end') {
    const g = readGroup(s, e);
    if (!g) return e;
    const env = g.content.replace(/\*$/, '').trim();
    if (name === 'begin' && MATH_ENVS.has(env)) {
      const endTag = `\\end{${g.content}}`;
      const end = findWithin(s, endTag, g.end, MAX_DISPLAY_MATH);
      if (end >= 0) {
        emit(mathText(s.slice(g.end, end), true));
        return end + endTag.length;
      }
    }
    emit(' ');
    return g.end;
  }
  if (LETTER_ACCENTS.has(name) && (s[e] === '{' || (name.length === 1 && s[e] === ' '))) {
    return accent(s, e, emit);
  }
  if (DROP_WITH_ARG.has(name) || DROP_FIRST_ARG.has(name)) {
    emit(name === 'href' ? URL_MARK : ' ');
    return skipArgs(s, e, 1); // for DROP_FIRST_ARG the next group is scanned as text
  }
  if (name === 'url') {
    emit(URL_MARK);
    return skipArgs(s, e, 1);
  }
  if (TEXT_DROP.has(name)) {
    emit(' ');
    return e;
  }
  const word = TEXT_WORDS[name];
  if (word !== undefined) {
    emit(word);
    // LaTeX swallows the space after a control word ("Bj\o rn" is "Bjorn"); "{}" ends it too.
    if (s[e] === ' ' && /[a-z]/.test(name[0]) && word.length <= 2) e++;
    else if (s.startsWith('{}', e)) e += 2;
    return e;
  }
  emit(` ${name} `);
  return e;
}

/** An accent command's argument (at i: `{o}`, `o`, ` o`, `{\i}`) -> its base letters. */
function accent(s: string, i: number, emit: (t: string) => void): number {
  while (s[i] === ' ') i++;
  if (s[i] === '{') {
    const g = readGroup(s, i);
    if (g) {
      emit(g.content.replace(/\\([A-Za-z]+)/g, (_m, nm: string) => TEXT_WORDS[nm] ?? nm).replace(/[^\p{L}\p{N}]/gu, ''));
      return g.end;
    }
    return i + 1;
  }
  if (s[i] === '\\') return i; // `\"\i`: let the command handler print the letter
  if (i < s.length && /[\p{L}\p{N}]/u.test(s[i])) {
    emit(s[i]);
    return i + 1;
  }
  return i;
}

/** indexOf limited to `limit` chars after `from` (unbounded searches make bad input quadratic). */
function findWithin(s: string, needle: string, from: number, limit: number): number {
  if (limit <= 0) return -1;
  const k = s.slice(from, Math.min(s.length, from + limit + needle.length)).indexOf(needle);
  return k < 0 ? -1 : from + k;
}

/** `{...}` at i (after optional spaces) with nested braces, or null if absent/unbalanced. */
function readGroup(s: string, i: number): { content: string; end: number } | null {
  while (s[i] === ' ') i++;
  if (s[i] !== '{') return null;
  let depth = 0;
  const limit = Math.min(s.length, i + MAX_GROUP);
  for (let k = i; k < limit; k++) {
    const c = s[k];
    if (c === '\\') {
      k++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      return { content: s.slice(i + 1, k), end: k + 1 };
    }
  }
  return null;
}

/** Skips up to two `[...]` options and `count` braced groups after a command. */
function skipArgs(s: string, i: number, count: number): number {
  for (let opt = 0; opt < 2; opt++) {
    let k = i;
    while (s[k] === ' ') k++;
    if (s[k] !== '[') break;
    const close = findWithin(s, ']', k, 200);
    if (close < 0) break;
    i = close + 1;
  }
  for (let a = 0; a < count; a++) {
    const g = readGroup(s, i);
    if (!g) break;
    i = g.end;
  }
  return i;
}

/** Words of a formula: command names (minus style/spacing ones), letters and numbers. */
function mathWords(content: string): string[] {
  const t = content.replace(/\\([A-Za-z]+)|\\./g, (_m, name: string | undefined) =>
    name && !MATH_DROP.has(name) ? ` ${name} ` : ' ',
  );
  return t.match(RE_MATH_WORD) ?? [];
}

/** A formula that is one identifier: `k`, `3`, `\alpha`, `\mathbb{R}` (font commands ignored). */
function isIdentifier(content: string): boolean {
  const c = content.replace(/\\([A-Za-z]+)/g, (m, name: string) => (MATH_DROP.has(name) ? '' : m)).replace(/[{}\s]/g, '');
  if (/^[A-Za-z0-9]{1,12}$/.test(c)) return true;
  const g = /^\\([A-Za-z]+)$/.exec(c);
  return g !== null && GREEK.has(g[1]);
}

function mathText(content: string, display: boolean): string {
  // `$\textit{Some words}$` is text typeset in math mode: keep it as text, without the marker.
  const textOnly = RE_TEXT_IN_MATH.exec(content);
  if (textOnly) return ` ${textOnly[1]} `;
  const words = mathWords(content);
  if (words.length === 0) return ' ';
  if (!display && words.length === 1 && isIdentifier(content)) return words[0];
  return MATH_MARK + words.slice(0, MAX_MATH_WORDS).join(' ') + ' ';
}
