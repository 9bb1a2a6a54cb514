/**
 * Non-ASCII characters in arXiv metadata. arXiv's metadata fields accept only ASCII: accented letters are
 * written with TeX accent commands and typographic punctuation typed out (arxiv/arxiv-docs
 * source/help/prep.md, "Bad character(s)" and "Note on LaTeX accent commands", whose table this follows).
 */

/** Combining mark (after NFD) -> TeX accent command, as in prep.md's accent table. */
const ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030A': 'r',
  '\u030B': 'H',
  '\u030C': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
};
/** Accents written with a symbol take the letter directly (\'e); letter accents need braces (\v{c}). */
const SYMBOL_ACCENTS = new Set(['`', "'", '^', '~', '=', '.', '"']);

/** Letters and punctuation with no decomposition (prep.md's table, its "common culprits", and a few symbols). */
const SPECIAL: Record<string, { tex: string; accent: boolean }> = {
  ß: { tex: '{\\ss}', accent: true },
  æ: { tex: '{\\ae}', accent: true },
  Æ: { tex: '{\\AE}', accent: true },
  ø: { tex: '{\\o}', accent: true },
  Ø: { tex: '{\\O}', accent: true },
  œ: { tex: '{\\oe}', accent: true },
  Œ: { tex: '{\\OE}', accent: true },
  ł: { tex: '{\\l}', accent: true },
  Ł: { tex: '{\\L}', accent: true },
  đ: { tex: '{\\dj}', accent: true },
  Đ: { tex: '{\\DJ}', accent: true },
  ð: { tex: '{\\dh}', accent: true },
  Ð: { tex: '{\\DH}', accent: true },
  þ: { tex: '{\\th}', accent: true },
  Þ: { tex: '{\\TH}', accent: true },
  ı: { tex: '{\\i}', accent: true },
  ŋ: { tex: '{\\ng}', accent: true },
  Ŋ: { tex: '{\\NG}', accent: true },
  '\u201C': { tex: '``', accent: false },
  '\u201D': { tex: "''", accent: false },
  '\u201E': { tex: ',,', accent: false },
  '\u2018': { tex: '`', accent: false },
  '\u2019': { tex: "'", accent: false },
  '\u2013': { tex: '--', accent: false },
  '\u2014': { tex: '---', accent: false },
  '\u2212': { tex: '-', accent: false },
  '\u2026': { tex: '...', accent: false },
  '\u00A0': { tex: ' ', accent: false },
  '\u2009': { tex: ' ', accent: false },
  '\u202F': { tex: ' ', accent: false },
  '\uFB00': { tex: 'ff', accent: false },
  '\uFB01': { tex: 'fi', accent: false },
  '\uFB02': { tex: 'fl', accent: false },
  '\uFB03': { tex: 'ffi', accent: false },
  '\uFB04': { tex: 'ffl', accent: false },
  '\u00D7': { tex: '$\\times$', accent: false },
  '\u00B1': { tex: '$\\pm$', accent: false },
  '\u2264': { tex: '$\\leq$', accent: false },
  '\u2265': { tex: '$\\geq$', accent: false },
  '\u2248': { tex: '$\\approx$', accent: false },
  '\u221E': { tex: '$\\infty$', accent: false },
  '\u2192': { tex: '$\\rightarrow$', accent: false },
  '\u00B0': { tex: '$^\\circ$', accent: false },
  '\u00B5': { tex: '$\\mu$', accent: false },
  '\u03BC': { tex: '$\\mu$', accent: false },
  '\u03B1': { tex: '$\\alpha$', accent: false },
  '\u03B2': { tex: '$\\beta$', accent: false },
  '\u03B3': { tex: '$\\gamma$', accent: false },
  '\u03B4': { tex: '$\\delta$', accent: false },
  '\u03B5': { tex: '$\\epsilon$', accent: false },
  '\u03BB': { tex: '$\\lambda$', accent: false },
  '\u03C0': { tex: '$\\pi$', accent: false },
  '\u03C3': { tex: '$\\sigma$', accent: false },
  '\u00AD': { tex: '', accent: false },
  '\u200B': { tex: '', accent: false },
};

export interface NonAscii {
  char: string;
  /** The ASCII/TeX form, or undefined when we know none. */
  tex?: string;
  /** An accented letter (arXiv converts typed ones itself) rather than punctuation or a symbol. */
  accent: boolean;
  count: number;
}

/** The TeX form of one non-ASCII character, if known. */
export function texFor(ch: string): { tex: string; accent: boolean } | undefined {
  const special = SPECIAL[ch];
  if (special) return special;
  const nfd = ch.normalize('NFD');
  if (nfd.length < 2) return undefined;
  const base = nfd[0];
  if (!/[A-Za-z]/.test(base)) return undefined;
  // prep.md's table writes \'i and \"i (not \'{\i}).
  let tex = base;
  for (const mark of nfd.slice(1)) {
    const cmd = ACCENTS[mark];
    if (!cmd) return undefined;
    tex = SYMBOL_ACCENTS.has(cmd) ? `\\${cmd}${tex.length === 1 ? tex : `{${tex}}`}` : `\\${cmd}{${tex}}`;
  }
  return { tex, accent: true };
}

/** Every distinct non-ASCII character of `text` (at most `limit`), with its TeX form when known. */
export function nonAsciiCharacters(text: string, limit = 50): NonAscii[] {
  const found = new Map<string, NonAscii>();
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) continue;
    const seen = found.get(ch);
    if (seen) {
      seen.count++;
      continue;
    }
    if (found.size >= limit) continue;
    const t = texFor(ch);
    found.set(ch, { char: ch, ...(t ? { tex: t.tex } : {}), accent: t?.accent ?? false, count: 1 });
  }
  return [...found.values()];
}

/** `text` with every non-ASCII character we know written in TeX; unknown ones are kept (and reported). */
export function toTexAscii(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch.charCodeAt(0) < 128) {
      out += ch;
      continue;
    }
    const t = texFor(ch);
    out += t ? t.tex : ch;
  }
  return out.replace(/[ \t]{2,}/g, ' ');
}
