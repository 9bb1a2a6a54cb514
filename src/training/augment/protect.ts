/**
 * Finds the parts of a scientific text that augmentation must never change: math, LaTeX commands and
 * citations, URLs, acronyms and other technical tokens (digits, inner capitals, symbols), mid-sentence
 * proper names, and caller-supplied domain terms. Back-translation swaps these for placeholders; the
 * synonym and EDA augmenters leave them in place.
 */

export interface ProtectOptions {
  /** Extra terms to keep as they are (case-insensitive, single words or phrases). */
  terms?: Iterable<string>;
}

/**
 * True for Title Case text ("Sparsity-certifying Graph Decompositions"): most words of 4+ letters start
 * with a capital. There a capital does not mark a proper name, so the name rule is switched off.
 */
export function isTitleCase(text: string): boolean {
  const words = text.match(/\b[A-Za-z][a-z]{3,}\b/g) ?? [];
  if (words.length < 2) return false;
  const caps = words.filter((w) => /^[A-Z]/.test(w)).length;
  return caps / words.length >= 0.6;
}

/** A piece of the text, in order; joining all `text`s gives the input back exactly. */
export interface Segment {
  text: string;
  protected: boolean;
}

/**
 * Structural spans, tried in this order at each position: display/inline math, \begin..\end environments,
 * LaTeX commands with their optional/brace arguments (one level of nested braces), URLs and e-mails.
 */
const STRUCTURAL = new RegExp(
  [
    String.raw`\$\$[\s\S]*?\$\$`,
    String.raw`\$(?:\\.|[^$\\])+\$`,
    String.raw`\\\([\s\S]*?\\\)`,
    String.raw`\\\[[\s\S]*?\\\]`,
    String.raw`\\begin\{([^}]*)\}[\s\S]*?\\end\{\1\}`,
    String.raw`\\[A-Za-z@]+\*?(?:\s*\[[^\]]*\])*(?:\s*\{(?:[^{}]|\{[^{}]*\})*\})*`,
    String.raw`\\[^A-Za-z\s]`,
    String.raw`https?://[^\s)\]}]+`,
    String.raw`\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b`,
  ].join('|'),
  'g',
);

/** Punctuation stripped from both ends of a whitespace-delimited token before judging it. */
const LEADING_PUNCT = /^[("'“‘[{<]+/;
const TRAILING_PUNCT = /[)"'”’\]}>.,;:!?]+$/;

/**
 * A token is technical when it has a digit, two or more capitals (BERT, GPT, ResNet, LSTMs), a capital
 * after a lower-case letter (pH, mRNA, iPhone), or any character outside plain words and hyphens/apostrophes
 * (symbols, Greek letters, underscores, ^, =, /, ...).
 */
export function isTechnicalToken(core: string): boolean {
  if (core.length === 0) return false;
  if (/\d/.test(core)) return true;
  if (/[A-Z].*[A-Z]/.test(core)) return true;
  if (/[a-z][A-Z]/.test(core)) return true;
  if (/[^A-Za-z'’-]/.test(core)) return true;
  return false;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledTerms {
  /** Single words, lower-case: looked up per token (a big alternation regex would be slow). */
  words: Set<string>;
  /** Multi-word phrases as one whole-word regex, longest first. */
  phrases: RegExp | null;
}

const compiledCache = new WeakMap<object, CompiledTerms>();

/** Compiles caller terms once per terms object (pass the same Set/array again to reuse it). */
function compileTerms(terms: Iterable<string> | undefined): CompiledTerms | null {
  if (!terms) return null;
  const key = terms as object;
  const cached = compiledCache.get(key);
  if (cached) return cached;
  const words = new Set<string>();
  const phrases: string[] = [];
  for (const raw of terms) {
    const t = raw.trim().toLowerCase();
    if (!t) continue;
    if (/\s/.test(t)) phrases.push(t);
    else words.add(t);
  }
  phrases.sort((a, b) => b.length - a.length);
  const compiled: CompiledTerms = {
    words,
    phrases: phrases.length
      ? new RegExp(`(?<![\\w-])(?:${phrases.map((p) => escapeRegExp(p).replace(/\s+/g, '\\s+')).join('|')})(?![\\w-])`, 'gi')
      : null,
  };
  compiledCache.set(key, compiled);
  return compiled;
}

/** True when position `i` starts a sentence (text start, or after . ! ? and whitespace). */
function atSentenceStart(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && /\s/.test(text[j])) j--;
  if (j < 0) return true;
  return /[.!?:]/.test(text[j]);
}

/** Marks protected character ranges [start, end). Overlapping ranges are merged. */
export function protectedRanges(text: string, opts: ProtectOptions = {}): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const covered = new Uint8Array(text.length);
  const mark = (s: number, e: number): void => {
    if (e <= s) return;
    ranges.push([s, e]);
    covered.fill(1, s, e);
  };

  for (const m of text.matchAll(STRUCTURAL)) mark(m.index!, m.index! + m[0].length);

  const terms = compileTerms(opts.terms);
  if (terms?.phrases) {
    for (const m of text.matchAll(terms.phrases)) {
      if (!covered[m.index!]) mark(m.index!, m.index! + m[0].length);
    }
  }

  const titleCase = isTitleCase(text);
  for (const m of text.matchAll(/\S+/g)) {
    const start = m.index!;
    const tok = m[0];
    const lead = LEADING_PUNCT.exec(tok)?.[0].length ?? 0;
    const trail = TRAILING_PUNCT.exec(tok.slice(lead))?.[0].length ?? 0;
    const s = start + lead;
    const e = start + tok.length - trail;
    if (e <= s) continue;
    const core = text.slice(s, e);
    // A token glued to a structural span ("Cr$_{1-x}$Mn$_x$Sb", "km\,s$^{-1}$") is protected whole:
    // its letters are part of a formula or unit, and a placeholder glued to letters may not survive.
    let overlaps = false;
    for (let i = s; i < e; i++) if (covered[i]) { overlaps = true; break; }
    if (overlaps) {
      mark(s, e);
      continue;
    }
    const properName = !titleCase && /^[A-Z][a-z]/.test(core) && !atSentenceStart(text, s);
    if (isTechnicalToken(core) || properName || terms?.words.has(core.toLowerCase())) mark(s, e);
  }

  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Splits text into alternating unprotected/protected segments (joined, they give the text back). */
export function segment(text: string, opts: ProtectOptions = {}): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const [s, e] of protectedRanges(text, opts)) {
    if (s > pos) out.push({ text: text.slice(pos, s), protected: false });
    out.push({ text: text.slice(s, e), protected: true });
    pos = e;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), protected: false });
  return out;
}

/**
 * Placeholder for protected span number i: "ZZQ" + the index in bijective base 25 over A..Y + "ZZ".
 * Letters only, so Apertium treats it as one unknown word and passes it through; the digits never use Z,
 * so placeholders glued together ("ZZQFZZZZQGZZ") still parse one by one.
 */
export function placeholder(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 25)) + s;
    n = Math.floor(n / 25) - 1;
  } while (n >= 0);
  return `ZZQ${s}ZZ`;
}

const PLACEHOLDER_RE = /ZZQ([A-Ya-y]+)ZZ/gi; // case-insensitive: a translator may re-case words

function placeholderIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 25 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export interface Masked {
  /** Text with every protected span (runs of adjacent spans merged) replaced by a placeholder. */
  text: string;
  /** Original text of each placeholder, by index. */
  originals: string[];
}

/**
 * Replaces protected spans with placeholders. Spans separated only by spaces are merged into one
 * placeholder so math like "$x$ = $y$" stays one unit.
 */
export function mask(text: string, opts: ProtectOptions = {}): Masked {
  const originals: string[] = [];
  let out = '';
  const segs = segment(text, opts);
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (!seg.protected) {
      out += seg.text;
      continue;
    }
    let orig = seg.text;
    while (i + 2 < segs.length && segs[i + 2].protected && /^[ \t]+$/.test(segs[i + 1].text)) {
      orig += segs[i + 1].text + segs[i + 2].text;
      i += 2;
    }
    out += placeholder(originals.length);
    originals.push(orig);
  }
  return { text: out, originals };
}

export interface Unmasked {
  text: string;
  /** How many placeholders were found again (each counted once). */
  restored: number;
  /** Indexes of placeholders that did not survive. */
  lost: number[];
}

/** Puts the original spans back; a placeholder seen twice is restored twice, a lost one is reported. */
export function unmask(text: string, originals: readonly string[]): Unmasked {
  const seen = new Set<number>();
  const restoredText = text.replace(PLACEHOLDER_RE, (m, letters: string) => {
    const idx = placeholderIndex(letters);
    if (idx < 0 || idx >= originals.length) return m;
    seen.add(idx);
    return originals[idx];
  });
  const lost: number[] = [];
  for (let i = 0; i < originals.length; i++) if (!seen.has(i)) lost.push(i);
  return { text: restoredText, restored: seen.size, lost };
}
