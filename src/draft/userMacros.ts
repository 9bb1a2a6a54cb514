/**
 * What a draft defines for itself beyond zero-argument macros: glossary and acronym entries
 * (glossaries' \newacronym / \newglossaryentry / \newabbreviation, the acronym package's \acro), and
 * author-note macros such as `\newcommand{\drew}[1]{\textcolor{red}{[Drew: #1]}}`, which the abstract
 * must not be read with.
 */
import { groupEnd, readArgs, skipSpace } from './latexScan';

export interface GlossaryEntry {
  /** LaTeX source of the short form (acronyms) or the name (glossary entries). */
  short: string;
  /** LaTeX source of the long form, for acronyms. */
  long?: string;
  shortPlural?: string;
  longPlural?: string;
  /** glossaries' `first=` text, used on first use instead of "long (short)". */
  first?: string;
}

const MAX_ENTRIES = 2000;

/** Reads `key={value}, key2=value2` (a glossary entry's field list) into a map; braces kept balanced. */
function keyValues(list: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < list.length && out.size < 50) {
    const m = /^\s*,?\s*([A-Za-z]+)\s*=\s*/.exec(list.slice(i, i + 100));
    if (!m) break;
    i += m[0].length;
    let value: string;
    if (list[i] === '{') {
      const end = groupEnd(list, i, 4000, false);
      if (end < 0) break;
      value = list.slice(i + 1, end - 1);
      i = end;
    } else {
      const comma = list.indexOf(',', i);
      const end = comma < 0 ? list.length : comma;
      value = list.slice(i, end).trim();
      i = end;
    }
    out.set(m[1].toLowerCase(), value);
  }
  return out;
}

/** Glossary and acronym definitions of one file, added to `into` (the last definition of a key wins). */
export function scanGlossary(masked: string, text: string, into: Map<string, GlossaryEntry>): void {
  if (!/\\(?:newacronym|newabbreviation|newglossaryentry|acro|acrodef)(?![A-Za-z@])/.test(masked)) return;
  const re = /\\(newacronym|newabbreviation|newglossaryentry|acro|acrodef)(?![A-Za-z@])/g;
  const arg = (s: { start: number; end: number }) => text.slice(s.start, s.end).trim();
  for (let m = re.exec(masked); m && into.size < MAX_ENTRIES; m = re.exec(masked)) {
    const after = m.index + m[0].length;
    if (m[1] === 'acro' || m[1] === 'acrodef') {
      // \acro{key}[short]{long}: the optional argument sits between the mandatory ones.
      const key = readArgs(masked, after, 1, 500);
      if (!key.mandatory.length) continue;
      const rest = readArgs(masked, key.end, 1, 2000);
      if (!rest.mandatory.length) continue;
      const long = arg(rest.mandatory[0]);
      const short = rest.optional.length ? arg(rest.optional[0]) : arg(key.mandatory[0]);
      into.set(arg(key.mandatory[0]), { short, long });
      re.lastIndex = rest.end;
    } else if (m[1] === 'newglossaryentry') {
      const args = readArgs(masked, after, 2, 4000, false);
      if (args.mandatory.length < 2) continue;
      const fields = keyValues(text.slice(args.mandatory[1].start, args.mandatory[1].end));
      const name = fields.get('name') ?? fields.get('text');
      if (name === undefined) continue;
      into.set(arg(args.mandatory[0]), { short: name, shortPlural: fields.get('plural'), first: fields.get('first') });
      re.lastIndex = args.end;
    } else {
      const args = readArgs(masked, after, 3, 2000);
      if (args.mandatory.length < 3) continue;
      const options = args.optional.length ? keyValues(text.slice(args.optional[0].start, args.optional[0].end)) : new Map<string, string>();
      into.set(arg(args.mandatory[0]), {
        short: arg(args.mandatory[1]),
        long: arg(args.mandatory[2]),
        shortPlural: options.get('shortplural'),
        longPlural: options.get('longplural'),
      });
      re.lastIndex = args.end;
    }
  }
}

/** What a use of an entry prints. */
export type GlossaryForm = 'auto' | 'autoPlural' | 'short' | 'shortPlural' | 'long' | 'longPlural' | 'full' | 'fullPlural';

/** Uses: macro name -> the form it prints and its case (acronym package and glossaries/glossaries-extra). */
export const GLOSSARY_USES: Record<string, { form: GlossaryForm; upper?: 'first' | 'all' }> = {
  gls: { form: 'auto' }, Gls: { form: 'auto', upper: 'first' }, GLS: { form: 'auto', upper: 'all' },
  glspl: { form: 'autoPlural' }, Glspl: { form: 'autoPlural', upper: 'first' }, GLSpl: { form: 'autoPlural', upper: 'all' },
  glstext: { form: 'short' }, Glstext: { form: 'short', upper: 'first' },
  acrshort: { form: 'short' }, Acrshort: { form: 'short', upper: 'first' }, acrshortpl: { form: 'shortPlural' },
  acrlong: { form: 'long' }, Acrlong: { form: 'long', upper: 'first' }, acrlongpl: { form: 'longPlural' },
  acrfull: { form: 'full' }, Acrfull: { form: 'full', upper: 'first' }, acrfullpl: { form: 'fullPlural' },
  glsxtrshort: { form: 'short' }, glsxtrlong: { form: 'long' }, glsxtrfull: { form: 'full' },
  ac: { form: 'auto' }, Ac: { form: 'auto', upper: 'first' }, acp: { form: 'autoPlural' }, Acp: { form: 'autoPlural', upper: 'first' },
  acs: { form: 'short' }, acsp: { form: 'shortPlural' }, acl: { form: 'long' }, Acl: { form: 'long', upper: 'first' },
  aclp: { form: 'longPlural' }, Aclp: { form: 'longPlural', upper: 'first' }, acf: { form: 'full' }, Acf: { form: 'full', upper: 'first' },
  acfp: { form: 'fullPlural' }, Acfp: { form: 'fullPlural', upper: 'first' },
};
/** Signatures for unified-latex: a star, options, the key (a trailing [insert] is not read). */
export const GLOSSARY_SIGNATURES: Record<string, string> = Object.fromEntries(Object.keys(GLOSSARY_USES).map((n) => [n, 's o m']));

/**
 * LaTeX source of what a use prints. `firstUse` as the glossaries and acronym packages count it: the
 * first \gls / \ac of an acronym gives "long (short)", later ones the short form.
 */
export function glossarySource(entry: GlossaryEntry, form: GlossaryForm, firstUse: boolean): string {
  const shortPl = entry.shortPlural ?? `${entry.short}s`;
  const long = entry.long;
  const longPl = entry.longPlural ?? (long !== undefined ? `${long}s` : undefined);
  switch (form) {
    case 'auto':
      if (firstUse && entry.first !== undefined) return entry.first;
      return firstUse && long !== undefined ? `${long} (${entry.short})` : entry.short;
    case 'autoPlural':
      return firstUse && longPl !== undefined ? `${longPl} (${shortPl})` : shortPl;
    case 'short':
      return entry.short;
    case 'shortPlural':
      return shortPl;
    case 'long':
      return long ?? entry.short;
    case 'longPlural':
      return longPl ?? shortPl;
    case 'full':
      return long !== undefined ? `${long} (${entry.short})` : entry.short;
    case 'fullPlural':
      return longPl !== undefined ? `${longPl} (${shortPl})` : shortPl;
  }
}

/** Note commands: a macro defined through one of them is a note, whatever else it does. */
const NOTE_COMMAND = /^\\(?:todo|marginpar|marginnote|fxnote|fxwarning|fixme|pdfcomment|sidenote|note|comment)(?![A-Za-z@])/;
/** Colour, box and highlight wrappers: `\textcolor{red}{X}`, `\colorbox{y}{X}`, `\hl{X}`, `\fbox{X}`. */
const WRAPPER_WITH_ARGS = /^\\(?:textcolor|colorbox)\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}\s*(?=\{)|^\\fcolorbox\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}\s*\{[^{}]*\}\s*(?=\{)|^\\(?:hl|hlc|fbox|framebox|ul|sout|uwave|cfbox|mbox)\s*(?:\[[^\]]*\])*\s*(?=\{)/;
/** `\color{red}` switches colour for the rest of the group. */
const COLOR_SWITCH = /^\\(?:color\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}|sethlcolor\s*\{[^{}]*\})/;
/** Font changes that may sit around the note's label without making it prose. */
const FONT = /^\\(?:textbf|textit|emph|textsf|texttt|textsc|bfseries|itshape|sffamily|ttfamily|scshape|small|footnotesize|scriptsize|tiny|large|Large)(?![A-Za-z@])/;

/**
 * Whether a parameterised macro's body only colours, boxes or highlights its argument behind a label
 * (`\textcolor{red}{[Drew: #1]}`), or hands it to a note command (`\todo{#1}`): an author's note.
 * A bare `\textcolor{blue}{#1}` (marking revised text) keeps its text: its argument is prose.
 */
export function isNoteDefinition(body: string): boolean {
  let b = body.trim();
  let wrapped = false;
  for (let guard = 0; guard < 20; guard++) {
    b = b.trim();
    if (NOTE_COMMAND.test(b)) return /#\d/.test(b);
    if (b[0] === '{') {
      const end = groupEnd(b, 0, b.length, false);
      if (end === b.length) {
        b = b.slice(1, -1);
        continue;
      }
    }
    const color = COLOR_SWITCH.exec(b);
    if (color) {
      wrapped = true;
      b = b.slice(color[0].length);
      continue;
    }
    const wrapper = WRAPPER_WITH_ARGS.exec(b);
    if (wrapper) {
      const open = wrapper[0].length;
      const end = groupEnd(b, open, b.length, false);
      if (end === b.length) {
        wrapped = true;
        b = b.slice(open + 1, -1);
        continue;
      }
    }
    break;
  }
  if (!wrapped || !/#\d/.test(b)) return false;
  // A label around the argument ("[Drew: #1]", "\textbf{JD:} #1") makes it a note, not marked-up prose.
  const label = b.replace(/#\d/g, '').replace(FONT, '').replace(/\\[A-Za-z@]+/g, '').replace(/[{}\s]/g, '');
  return label.length > 0;
}

/** `\newcommand{\name}[n]{body}` / `\def\name#1{body}` definitions whose body is a note: name -> argument count. */
export function scanNoteMacros(masked: string, text: string, into: Map<string, number>): void {
  if (!masked.includes('#')) return;
  const re =
    /\\(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)\*?\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))\s*\[\s*(\d)\s*\]\s*(\[[^\]]{0,200}\])?\s*|\\[gex]?def\s*\\([A-Za-z@]+)\s*((?:#\d\s*){1,9})/g;
  for (let m = re.exec(masked); m && into.size < MAX_ENTRIES; m = re.exec(masked)) {
    const name = m[1] ?? m[2] ?? m[5];
    const count = m[3] ? Number(m[3]) : (m[6].match(/#/g) ?? []).length;
    const open = skipSpace(masked, m.index + m[0].length);
    if (masked[open] !== '{' || count === 0) continue;
    const end = groupEnd(masked, open, 1000, false);
    if (end < 0) continue;
    if (isNoteDefinition(text.slice(open + 1, end - 1))) into.set(name, count);
    else into.delete(name); // a later \renewcommand that is not a note wins
  }
}
