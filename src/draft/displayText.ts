/**
 * Display form of an extracted title or abstract: the model reads math as its TeX source between `$...$`
 * (as it was trained), people should read "CP-odd", "10²–10⁶ M⊙", "α ≤ 0.3". Symbols come from
 * unicode2latex's LaTeX-to-Unicode table (the one Better BibTeX maintains); the rest is the little
 * structure of TeX math that a table cannot hold: font wrappers, scripts, fractions, roots, accents.
 */
import latex2unicodeTable from 'unicode2latex/tables/latex2unicode.json';

type TableEntry = string | { text?: string; math?: string };
const TABLE = latex2unicodeTable as Record<string, TableEntry>;

/** Math-mode value of a table entry. */
function lookup(key: string): string | undefined {
  const v = TABLE[key];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : (v.math ?? v.text);
}

/** Wrappers whose argument is just text in another font. */
const FONT_WRAPPERS = new Set([
  'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'mathnormal', 'text', 'textrm', 'textit', 'textbf', 'textsf', 'texttt',
  'textup', 'textnormal', 'mbox', 'hbox', 'operatorname', 'boldsymbol', 'bm', 'pmb', 'emph', 'mathscr', 'mathcal', 'mathfrak',
  'ensuremath', 'rm', 'it', 'bf',
]);
/** Alphabets the table knows letter by letter (`\mathbb{R}` -> ℝ). */
const ALPHABETS = new Set(['mathbb', 'mathbbm', 'mathfrak', 'mathscr', 'mathcal']);
/** Accents over their argument, as combining marks. */
const ACCENTS: Record<string, string> = {
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303', widetilde: '\u0303', vec: '\u20d7',
  dot: '\u0307', ddot: '\u0308', check: '\u030c', breve: '\u0306', acute: '\u0301', grave: '\u0300', underline: '\u0332',
};
const OPERATORS = new Set([
  'log', 'ln', 'lg', 'exp', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'sinh', 'cosh', 'tanh', 'arcsin', 'arccos', 'arctan', 'max',
  'min', 'sup', 'inf', 'lim', 'liminf', 'limsup', 'det', 'dim', 'ker', 'deg', 'arg', 'Pr', 'gcd', 'hom', 'mod', 'bmod', 'tr', 'Tr',
]);
/** Sizing and spacing commands that print nothing of their own. */
const INVISIBLE = new Set([
  'left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'displaystyle',
  'textstyle', 'scriptstyle', 'limits', 'nolimits', 'nonumber', 'notag', '!', 'relax', 'strut',
]);
const SPACES = new Set([',', ';', ':', ' ', '>', 'quad', 'qquad', 'enspace', 'thinspace', 'medspace', 'thickspace', 'space', 'nobreakspace']);
/** Commands whose argument is not shown (labels, tags). */
const DROPPED_WITH_ARG = new Set(['label', 'tag', 'hspace', 'vspace', 'phantom', 'hphantom', 'vphantom']);
const MAX_DEPTH = 30;

/** Greek and other non-Latin letters of the table come as math italics (𝜇, 𝛻): show the plain letter. */
function plainLetter(s: string): string {
  return s.replace(/[\u{1D6A4}-\u{1D7FF}]/gu, (c) => c.normalize('NFKC'));
}

class MathReader {
  private i = 0;
  constructor(private readonly src: string, private readonly depth: number) {}

  /** The next argument: a `{group}`'s content, a macro, or one character. */
  private arg(): string {
    while (this.src[this.i] === ' ') this.i++;
    const c = this.src[this.i];
    if (c === undefined) return '';
    if (c === '{') {
      let depth = 0;
      const start = this.i;
      for (; this.i < this.src.length; this.i++) {
        const ch = this.src[this.i];
        if (ch === '\\') this.i++;
        else if (ch === '{') depth++;
        else if (ch === '}' && --depth === 0) {
          this.i++;
          return this.src.slice(start + 1, this.i - 1);
        }
      }
      return this.src.slice(start + 1);
    }
    if (c === '\\') {
      const m = /^\\(?:[A-Za-z@]+|.)/.exec(this.src.slice(this.i, this.i + 60));
      const token = m ? m[0] : '\\';
      this.i += token.length;
      return token;
    }
    this.i++;
    return c;
  }

  private optional(): string | undefined {
    if (this.src[this.i] !== '[') return undefined;
    const end = this.src.indexOf(']', this.i);
    if (end < 0) return undefined;
    const value = this.src.slice(this.i + 1, end);
    this.i = end + 1;
    return value;
  }

  private sub(src: string): string {
    return renderMath(src, this.depth + 1);
  }

  render(): string {
    let out = '';
    while (this.i < this.src.length) {
      const c = this.src[this.i];
      if (c === '\\') out += this.macro();
      else if (c === '^' || c === '_') {
        this.i++;
        out += script(this.sub(this.arg()), c);
      } else if (c === '{') out += this.sub(this.arg());
      else if (c === '}' || c === '&') this.i++;
      else if (c === '~') {
        out += ' ';
        this.i++;
      } else if (c === "'") {
        out += '′';
        this.i++;
      } else if (c === '-') {
        // Between numbers a hyphen reads as a range (10²–10⁶), elsewhere as a minus sign.
        const before = out.slice(-1);
        const after = this.src[this.i + 1] ?? '';
        out += /[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(before) && /[0-9]/.test(after) ? '–' : '−';
        this.i++;
      } else if (/\s/.test(c)) {
        if (!out.endsWith(' ')) out += ' ';
        this.i++;
      } else {
        out += c;
        this.i++;
      }
    }
    return out;
  }

  private macro(): string {
    const token = this.arg(); // `\name` or `\x`
    const name = token.slice(1);
    if (SPACES.has(name)) return ' ';
    if (INVISIBLE.has(name)) return '';
    if (DROPPED_WITH_ARG.has(name)) {
      this.arg();
      return '';
    }
    if (ALPHABETS.has(name)) {
      const a = this.arg();
      const letters = [...a.trim()].map((ch) => lookup(`\\${name}{${ch}}`));
      if (letters.every((l) => l !== undefined)) return letters.join('');
      return this.sub(a);
    }
    if (FONT_WRAPPERS.has(name)) return this.src[this.i] === '{' || this.src[this.i] === ' ' ? this.sub(this.arg()) : '';
    if (name in ACCENTS) {
      const a = this.sub(this.arg());
      return a ? ([...a][0] + ACCENTS[name]).normalize('NFC') + [...a].slice(1).join('') : '';
    }
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac' || name === 'nicefrac' || name === 'sfrac') {
      const num = this.sub(this.arg());
      const den = this.sub(this.arg());
      return `${wrap(num)}/${wrap(den)}`;
    }
    if (name === 'sqrt') {
      const n = this.optional();
      const a = this.sub(this.arg());
      return `${n ? script(n, '^') : ''}√${wrap(a)}`;
    }
    if (OPERATORS.has(name)) return name;
    const symbol = lookup(token);
    if (symbol !== undefined) return plainLetter(symbol);
    // An unknown macro (often the author's own, \R or \method): its name is the best guess.
    return /^[A-Za-z]+$/.test(name) ? name : '';
  }
}

/** Parenthesised when it has more than one term, as in "(a+b)/2". */
function wrap(s: string): string {
  const t = s.trim();
  return /^[\p{L}\p{N}.′]+$/u.test(t) || /^\(.*\)$/.test(t) ? t : `(${t})`;
}

/** `^x` / `_x` as Unicode super/subscripts when every character has one; else inline or with ^( ). */
function script(text: string, mark: '^' | '_'): string {
  const t = text.trim();
  if (!t) return '';
  const chars = [...t];
  const mapped = chars.map((ch) => (ch === ' ' ? '' : lookup(`${mark}{${ch}}`)));
  if (mapped.every((m) => m !== undefined)) return mapped.join('');
  // A lone symbol (M_⊙, x^*, f^′) reads well on the line.
  if (chars.length === 1 && !/[\p{L}\p{N}]/u.test(t)) return t;
  return `${mark}${chars.length === 1 ? t : `(${t})`}`;
}

/** TeX math (without its `$`) as readable Unicode. */
export function renderMath(tex: string, depth = 0): string {
  if (depth > MAX_DEPTH) return tex.replace(/[{}\\]/g, '');
  return new MathReader(tex, depth).render();
}

/** `$...$` spans of the model text (no space inside either `$`, no digit after the closing one). */
const MATH_SPAN = /\$(?=\S)((?:[^$\\]|\\[^])*?)(?<=\S)\$(?!\d)/g;

/** The display form of a title or abstract as the model receives it: each `$...$` rendered, prose kept. */
export function displayText(modelText: string): string {
  if (!modelText.includes('$')) return modelText;
  try {
    return modelText
      .replace(MATH_SPAN, (_, tex: string) => renderMath(tex).trim())
      .replace(/\s+/g, ' ')
      .trim();
  } catch {
    return modelText;
  }
}
