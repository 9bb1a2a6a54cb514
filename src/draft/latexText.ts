/**
 * Turns a small LaTeX snippet (a title argument, an abstract body) into readable plain text, through
 * unified-latex's AST: markup macros keep their text, citations/labels/footnotes disappear, accents
 * become Unicode, inline math stays as its TeX source between `$...$`.
 */
import { parseMinimal } from '@unified-latex/unified-latex-util-parse';
import { attachMacroArgs } from '@unified-latex/unified-latex-util-arguments';
import { printRaw } from '@unified-latex/unified-latex-util-print-raw';
import type * as Ast from '@unified-latex/unified-latex-types';
import { cutPoint } from './latexScan';
import { formatCount } from './inputGuards';
import { MAX_RUN_COPIES, shortenRepeatedRuns } from './repeatRuns';
import { CITE_MARK, REF_MARK, tidyReferences } from './references';
import { siunitxText, SIUNITX_SIGNATURES } from './siunitx';
import { GLOSSARY_SIGNATURES, GLOSSARY_USES, glossarySource, type GlossaryEntry } from './userMacros';

/** Macros removed together with their arguments. Signatures (xparse) make unified-latex attach the arguments. */
const DROPPED: Record<string, string> = {
  cite: 's o o m', citep: 's o o m', citet: 's o o m', citealp: 's o o m', citealt: 's o o m', citeauthor: 's o o m',
  citeyear: 's o o m', citenum: 'm', parencite: 's o o m', textcite: 's o o m', autocite: 's o o m', footcite: 's o o m',
  nocite: 'm', ref: 'm', eqref: 'm', autoref: 'm', cref: 'm', Cref: 'm', pageref: 'm', nameref: 'm', label: 'm',
  footnote: 'o m', footnotemark: 'o', footnotetext: 'o m', thanks: 'm', vspace: 's m', hspace: 's m',
  includegraphics: 's o m', index: 'm', keywords: 'm', icmlkeywords: 'm', bibliography: 'm',
  bibliographystyle: 'm', orcid: 'm', orcidlink: 'm', affiliation: 'o m', email: 'o m', address: 'o m',
  // Front matter that is not prose (only met when reading body text).
  title: 'o m', icmltitle: 'm', titlerunning: 'm', icmltitlerunning: 'm', author: 'o m', authorrunning: 'm',
  icmlauthor: 'm m', icmlaffiliation: 'm m', icmlcorrespondingauthor: 'm m', institute: 'm', date: 'm',
  affil: 'o m', IEEEauthorblockN: 'm', IEEEauthorblockA: 'm', ead: 'o m', tnotetext: 'o m', fntext: 'o m',
  cortext: 'o m', pacs: 'm', subjclass: 'o m', dedicatory: 'm', iclrfinalcopy: '', maketitle: '',
  tnoteref: 'm', fnref: 'm', corref: 'm', inst: 'm', IEEEmembership: 'm', printAffiliationsAndNotice: 'm',
  Title: 'm', TITLE: 'm',
  // Footnote-like notes (ACM's \titlenote, elsarticle's \thanksref) and draft notes (todonotes, fixme).
  titlenote: 'm', subtitlenote: 'm', authornote: 'm', thanksref: 'm', todo: 'o m', missingfigure: 'o m', listoftodos: 'o',
  note: 'o m', fxnote: 's o m', fxwarning: 's o m', fxerror: 's o m', fxfatal: 's o m', fixme: 'o m',
  marginpar: 'o m', marginnote: 'm o', ding: 'm',
  // More citation and reference commands (natbib, biblatex, varioref, cleveref, subcaption).
  Citet: 's o o m', Citep: 's o o m', Citealt: 's o o m', Citealp: 's o o m', Citeauthor: 's o o m',
  citeyearpar: 's o o m', Textcite: 's o o m', Parencite: 's o o m', Autocite: 's o o m', smartcite: 's o o m',
  supercite: 'o o m', vref: 's m', Vref: 's m', cpageref: 'm', Cpageref: 'm', labelcref: 'm', subref: 's m',
  // Counters and lengths ("\addtocounter{footnote}{2}" read as "footnote2").
  addtocounter: 'm m', setcounter: 'm m', stepcounter: 'm', refstepcounter: 'm', newcounter: 'm o',
  setlength: 'm m', addtolength: 'm m',
  // Glossary and acronym definitions (their uses are expanded: src/draft/userMacros.ts).
  newacronym: 'o m m m', newabbreviation: 'o m m m', newglossaryentry: 'm m', acro: 'm o m', acrodef: 'm o m',
  acused: 'm', glsreset: 'm', glsunset: 'm', acresetall: '', glsresetall: 'o', printglossary: 'o', printacronyms: 'o',
};
/** Dropped macros that stand in a sentence ("see \cite{x}", "Fig.~\ref{f}"): their words are tidied too. */
const CITATIONS = new Set([
  'cite', 'citep', 'citet', 'citealp', 'citealt', 'citeauthor', 'citeyear', 'citeyearpar', 'citenum', 'Citet', 'Citep',
  'Citealt', 'Citealp', 'Citeauthor', 'parencite', 'textcite', 'autocite', 'smartcite', 'supercite', 'Textcite',
  'Parencite', 'Autocite',
]);
const CROSS_REFERENCES = new Set([
  'ref', 'eqref', 'autoref', 'cref', 'Cref', 'pageref', 'nameref', 'vref', 'Vref', 'cpageref', 'Cpageref', 'labelcref', 'subref',
]);
/** Fractions written inline (nicefrac, xfrac): "1/2". */
const FRACTIONS: Record<string, string> = { nicefrac: 'o m m', sfrac: 'o m m', textfrac: 'm m' };
/**
 * Macros whose text is not their only argument. Other macros need no signature: with their arguments
 * unattached, `\emph{x}` reads as an empty macro followed by the group `{x}`, which is the text we want.
 */
const TEXT_LAST: Record<string, string> = {
  href: 'o m m', textcolor: 'o m m', colorbox: 'o m m', foreignlanguage: 'o m m', hyperref: 'o m',
  url: 'm', ensuremath: 'm', '\\': 's o', newline: '', fbox: 'm', raisebox: 'm o o m',
  // hyperref: \texorpdfstring{TeX version}{plain version}; the plain one is the readable one.
  texorpdfstring: 'm m',
  // Headings (met in body text): the star and the short title are not text.
  part: 's o m', chapter: 's o m', section: 's o m', subsection: 's o m', subsubsection: 's o m',
  paragraph: 's o m', caption: 'o m',
};
/** Macros whose arguments together are the text: \IEEEPARstart{T}{his} is "This". */
const TEXT_ALL: Record<string, string> = { IEEEPARstart: 'm m' };
/**
 * parseMinimal + our own signatures instead of parse(): parse() attaches the arguments of every macro it
 * knows and re-parses math, which costs about 3x more on an abstract and is not needed here.
 */
const MACRO_SIGNATURES: Ast.MacroInfoRecord = Object.fromEntries(
  Object.entries({ ...DROPPED, ...TEXT_LAST, ...TEXT_ALL, ...FRACTIONS, ...SIUNITX_SIGNATURES, ...GLOSSARY_SIGNATURES }).map(([name, signature]) => [name, { signature }]),
);
const MATH_ENVS = new Set([
  'equation', 'equation*', 'align', 'align*', 'gather', 'gather*', 'multline', 'multline*', 'eqnarray',
  'eqnarray*', 'math', 'displaymath', 'flalign', 'flalign*', 'alignat', 'alignat*',
]);

/** Macros that stand for a character or a short word. */
const SYMBOLS: Record<string, string> = {
  '%': '%', '&': '&', $: '$', '#': '#', _: '_', '{': '{', '}': '}', ' ': ' ', ',': ' ', ';': ' ', ':': ' ',
  '!': '', '/': '', '@': '', '-': '', '\\': ' ', newline: ' ', linebreak: ' ', par: ' ', quad: ' ', qquad: ' ',
  enspace: ' ', thinspace: ' ', smallskip: ' ', medskip: ' ', bigskip: ' ', and: ', ', AND: ', ',
  ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł', i: 'i', j: 'j',
  LaTeX: 'LaTeX', TeX: 'TeX', LaTeXe: 'LaTeX2e', BibTeX: 'BibTeX', ldots: '…', dots: '…', textellipsis: '…',
  textendash: '–', textemdash: '—', textasciitilde: '~', textbackslash: '\\', textunderscore: '_',
  textbar: '|', textless: '<', textgreater: '>', S: '§', copyright: '©', textregistered: '®', texttrademark: '™',
  textdegree: '°', textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  // Shorthands defined by the CVPR/ICCV and many other templates.
  eg: 'e.g.', Eg: 'E.g.', ie: 'i.e.', Ie: 'I.e.', etal: 'et al.', etc: 'etc.', vs: 'vs.', wrt: 'w.r.t.',
  cf: 'cf.', Cf: 'Cf.', dof: 'd.o.f.',
  // textcomp and friends.
  texttimes: '×', textpm: '±', textdiv: '÷', textminus: '−', textmu: 'µ', textohm: 'Ω', texteuro: '€',
  textsterling: '£', pounds: '£', textyen: '¥', textcent: '¢', textperthousand: '‰', textcelsius: '°C',
  textonehalf: '½', textonequarter: '¼', textthreequarters: '¾', textbullet: '•', textdagger: '†',
  textdaggerdbl: '‡', dag: '†', ddag: '‡', textsection: '§', textparagraph: '¶', P: '¶', checkmark: '✓',
  textasciicircum: '^', textquotesingle: "'", textquotedbl: '"', textnumero: '№',
};

/** Accent macros and the Unicode combining mark each one adds. */
const ACCENTS: Record<string, string> = {
  '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', d: '\u0323', b: '\u0331', r: '\u030A', k: '\u0328',
  t: '\u0361',
};

/** Environments whose content is not prose. */
const SKIPPED_ENVS = new Set([
  'figure', 'figure*', 'table', 'table*', 'tabular', 'tabular*', 'thebibliography', 'comment', 'tikzpicture',
  'algorithm', 'algorithmic', 'lstlisting', 'verbatim', 'minted', 'wrapfigure', 'keyword', 'keywords',
  'IEEEkeywords', 'CCSXML', 'icmlauthorlist', 'authors',
]);

interface Piece {
  math: boolean;
  text: string;
}

export interface ReduceContext {
  /** Zero-argument user macros (`\newcommand{\method}{FooNet}`), expanded in the text. */
  definitions: Map<string, string>;
  /** Source-level problems worth telling the user about. */
  warnings: string[];
  /**
   * Work left for user-macro expansion in this extraction (created on first use). Depth alone does not
   * bound it: `\def\a{\b\b\b...}` nested a few levels grows exponentially.
   */
  expansion?: ExpansionBudget;
  /** Glossary/acronym entries by key (\newacronym, \newglossaryentry, \acro), for \gls, \ac and friends. */
  glossary?: Map<string, GlossaryEntry>;
  /** Entries already used once: the first \gls{key} prints "long (short)", later ones the short form. */
  glossaryUsed?: Set<string>;
  /** Author-note macros (name -> argument count), left out with their arguments. */
  noteMacros?: Map<string, number>;
}

export interface ExpansionBudget {
  /** Expansions left. */
  expansions: number;
  /** Characters of expanded text left. */
  chars: number;
  /** Macros being expanded right now: one met again inside itself would loop forever in TeX too. */
  active: string[];
  /** Macros already reported, so each problem is told once. */
  reported: Set<string>;
}

/** Whole-extraction limits on user-macro expansion: a real paper uses a few dozen expansions. */
export const MAX_EXPANSIONS = 500;
export const MAX_EXPANDED_CHARS = 20_000;

/**
 * Longest snippet given to the parser. Callers keep within it (abstracts 10,000, body text 5,000); this
 * is the backstop that keeps an event loop from blocking for seconds on a runaway span.
 */
export const MAX_PARSE_CHARS = 10_000;
/** The placeholders of removed references must not come from the source itself. */
const MARKS = new RegExp(`[${CITE_MARK}${REF_MARK}]`, 'g');

const MAX_CACHE = 128;
const parseCache = new Map<string, Ast.Root>();

/** Work done by unified-latex's parser (cache misses): tests assert bounds on it, never on time. */
export const parserWork = { parses: 0, chars: 0 };

/** unified-latex parse with the extra argument signatures, memoised: the same abstract is parsed on every edit. */
function parseCached(source: string): Ast.Root {
  const hit = parseCache.get(source);
  if (hit) {
    parseCache.delete(source);
    parseCache.set(source, hit);
    return hit;
  }
  parserWork.parses++;
  parserWork.chars += source.length;
  const root = parseMinimal(source);
  attachMacroArgs(root, MACRO_SIGNATURES);
  parseCache.set(source, root);
  if (parseCache.size > MAX_CACHE) parseCache.delete(parseCache.keys().next().value as string);
  return root;
}

/**
 * Readable text of a LaTeX snippet; never throws (falls back to a crude macro strip, with a warning).
 * With keepMarks, removed citations/references stay as CITE_MARK/REF_MARK for the caller to tidy
 * along with the text around the snippet (raw LaTeX inside Markdown).
 */
export function latexToText(source: string, ctx: ReduceContext, opts: { keepMarks?: boolean } = {}): string {
  if (source.length > MAX_PARSE_CHARS) {
    const cut = cutPoint(source, 0, MAX_PARSE_CHARS);
    ctx.warnings.push(`A LaTeX passage of ${formatCount(source.length)} characters was cut to its first ${formatCount(cut)} before being read.`);
    source = source.slice(0, cut);
  }
  // After flattening, so deep nesting keeps its own warning (and its runs of braces are already short).
  const shortened = shortenRepeatedRuns(flattenDeepNesting(source.replace(MARKS, ''), ctx));
  if (shortened.runs.length) {
    const { unit, copies } = shortened.runs[0];
    ctx.warnings.push(
      `A LaTeX passage repeats ${JSON.stringify(unit)} ${formatCount(copies)} times in a row` +
        `${shortened.runs.length > 1 ? ` (and ${formatCount(shortened.runs.length - 1)} more such runs)` : ''}: only the first ${MAX_RUN_COPIES} copies were read.`,
    );
  }
  source = shortened.text;
  try {
    const pieces: Piece[] = [];
    reduceNodes(parseCached(source).content, source, ctx, pieces, 0);
    return assemble(pieces, opts.keepMarks);
  } catch (err) {
    ctx.warnings.push(`The LaTeX parser failed on a snippet (${(err as Error).message}); its text was simplified roughly.`);
    return crudeStrip(source);
  }
}

/** Groups and environments nested deeper than this are flattened before parsing (no real text nests so deep). */
export const MAX_NESTING = 40;

/**
 * `source` with braces and \begin/\end pairs beyond MAX_NESTING levels removed (their content kept):
 * unified-latex's parser recurses per level and took seconds on 10,000 characters of `{`.
 */
function flattenDeepNesting(source: string, ctx: ReduceContext): string {
  const re = /\\(?:begin|end)\s*\{[^{}]{0,80}\}|\\[^]|[{}]/g;
  let depth = 0;
  let max = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const t = m[0];
    if (t === '{' || t.startsWith('\\begin')) max = Math.max(max, ++depth);
    else if (t === '}' || t.startsWith('\\end')) depth = Math.max(0, depth - 1);
  }
  if (max <= MAX_NESTING) return source;
  const parts: string[] = [];
  const dropped: boolean[] = []; // per open level: whether its opener was removed
  let from = 0;
  depth = 0;
  re.lastIndex = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const t = m[0];
    const opens = t === '{' || t.startsWith('\\begin');
    const closes = t === '}' || t.startsWith('\\end');
    if (!opens && !closes) continue;
    let drop: boolean;
    if (opens) {
      drop = depth >= MAX_NESTING;
      dropped.push(drop);
      depth++;
    } else {
      drop = dropped.pop() ?? false;
      depth = Math.max(0, depth - 1);
    }
    if (drop) {
      parts.push(source.slice(from, m.index));
      from = m.index + t.length;
    }
  }
  parts.push(source.slice(from));
  ctx.warnings.push(`A LaTeX passage nests groups or environments ${formatCount(max)} deep: only the outer ${MAX_NESTING} levels were kept.`);
  return parts.join('');
}

function reduceNodes(nodes: Ast.Node[], source: string, ctx: ReduceContext, out: Piece[], depth: number): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    switch (node.type) {
      case 'string':
        // A lone brace string is an unmatched { or } (escaped ones are macros): not text.
        if (node.content !== '{' && node.content !== '}') out.push({ math: false, text: node.content });
        break;
      case 'whitespace':
      case 'parbreak':
        out.push({ math: false, text: ' ' });
        break;
      case 'comment':
        if (node.leadingWhitespace) out.push({ math: false, text: ' ' });
        break;
      case 'group':
        reduceNodes(node.content, source, ctx, out, depth);
        break;
      case 'inlinemath':
      case 'displaymath':
      case 'mathenv':
        pushMath(node, source, out);
        break;
      case 'verb':
        out.push({ math: false, text: node.content });
        break;
      case 'verbatim':
        break;
      case 'environment':
        if (MATH_ENVS.has(envName(node))) pushMath(node, source, out);
        else if (!SKIPPED_ENVS.has(envName(node))) {
          out.push({ math: false, text: ' ' });
          reduceNodes(node.content, source, ctx, out, depth);
          out.push({ math: false, text: ' ' });
        }
        break;
      case 'macro':
        i = reduceMacro(nodes, i, source, ctx, out, depth);
        break;
      default:
        break;
    }
  }
}

function envName(node: Ast.Environment): string {
  const env = node.env as unknown;
  if (typeof env === 'string') return env;
  if (env && typeof env === 'object' && 'content' in env) return String((env as { content: unknown }).content);
  return '';
}

/** Handles the macro at nodes[i]; returns the index of the last node it consumed. */
function reduceMacro(nodes: Ast.Node[], i: number, source: string, ctx: ReduceContext, out: Piece[], depth: number): number {
  const node = nodes[i] as Ast.Macro;
  const name = node.content;
  if (name in DROPPED) {
    if (CITATIONS.has(name)) out.push({ math: false, text: CITE_MARK });
    else if (CROSS_REFERENCES.has(name)) out.push({ math: false, text: REF_MARK });
    return i;
  }
  if (name in GLOSSARY_USES) {
    glossaryUse(node, ctx, out, depth);
    return i;
  }
  const noteArgs = ctx.noteMacros?.get(name);
  if (noteArgs !== undefined) return skipNote(nodes, i, name, noteArgs, ctx);
  if (name in SIUNITX_SIGNATURES) {
    const value = siunitxText(name, (node.args ?? []).filter((a) => a.openMark === '{').map((a) => printRaw(a.content)));
    if (value) out.push({ math: false, text: value });
    return i;
  }
  if (name === 'url' && node.args?.length) {
    out.push({ math: true, text: printRaw(node.args[node.args.length - 1].content) });
    return i;
  }
  if (name in ACCENTS && !(node.args ?? []).some((a) => a.content.length)) return applyAccent(nodes, i, ACCENTS[name], source, ctx, out, depth);
  if (name === 'ensuremath' && node.args?.length) {
    const tex = printRaw(node.args[node.args.length - 1].content).trim();
    if (tex) out.push({ math: true, text: `$${tex}$` });
    return i;
  }
  const mandatory = (node.args ?? []).filter((a) => a.openMark === '{');
  if (name in FRACTIONS && mandatory.length === 2) {
    const [num, den] = mandatory.map((arg) => {
      const inner: Piece[] = [];
      reduceNodes(arg.content, source, ctx, inner, depth);
      return assemble(inner);
    });
    out.push({ math: false, text: `${num}/${den}` });
    return i;
  }
  if (name in TEXT_ALL) {
    for (const arg of mandatory) reduceNodes(arg.content, source, ctx, out, depth);
    return i;
  }
  if (mandatory.length) {
    // \emph{x}, \textbf{x}, \href{url}{x}, \textcolor{red}{x}: the last mandatory argument is the text.
    reduceNodes(mandatory[mandatory.length - 1].content, source, ctx, out, depth);
    if (name === '\\' || name === 'newline') out.push({ math: false, text: ' ' });
    return i;
  }
  if (name in SYMBOLS) {
    out.push({ math: false, text: SYMBOLS[name] });
    return i;
  }
  // An unknown macro's [..] right after it is an option list (\printglossary[type=main]), not prose.
  if (nodes[i + 1]?.type === 'string' && (nodes[i + 1] as Ast.String).content === '[') {
    const close = nodes.findIndex((n, k) => k > i + 1 && n.type === 'string' && n.content === ']');
    if (close > 0 && close - i < 60) i = close;
  }
  const body = ctx.definitions.get(name);
  if (body !== undefined && depth < 5 && mayExpand(name, ctx)) {
    const budget = ctx.expansion!;
    const inner: Piece[] = [];
    budget.active.push(name);
    try {
      const before = budget.chars;
      reduceNodes(parseCached(body).content, body, ctx, inner, depth + 1);
      let chars = 0;
      for (const p of inner) chars += p.text.length;
      // Nested expansions already paid for their own text: charge only what this level added.
      budget.chars -= chars - (before - budget.chars);
      if (budget.chars >= 0) out.push(...inner);
      else {
        out.push(...truncatePieces(inner, chars + budget.chars));
        budget.chars = -1;
        report(ctx, '\0chars', `\\${name} expands to too much text (over ${formatCount(MAX_EXPANDED_CHARS)} characters in all): the rest of its uses were left out.`);
      }
    } catch {
      // A definition we cannot read is simply dropped.
    } finally {
      budget.active.pop();
    }
    // `\method{}`: the empty group after a text macro is only there to keep the following space.
    const next = nodes[i + 1];
    if (next?.type === 'group' && next.content.length === 0) return i + 1;
  }
  return i;
}

/** \gls{key}, \ac{key}, ...: the entry's text in the form the command prints; an unknown key reads as itself. */
function glossaryUse(node: Ast.Macro, ctx: ReduceContext, out: Piece[], depth: number): void {
  const use = GLOSSARY_USES[node.content];
  const keyArg = node.args?.filter((a) => a.openMark === '{').pop();
  const key = keyArg ? printRaw(keyArg.content).trim() : '';
  if (!key) return;
  const entry = ctx.glossary?.get(key);
  if (!entry) {
    out.push({ math: false, text: key });
    return;
  }
  const used = (ctx.glossaryUsed ??= new Set());
  const source = glossarySource(entry, use.form, !used.has(key));
  // Only \gls / \ac and their plurals count as a use; \acrshort, \acrlong, \acrfull leave it first.
  if (use.form === 'auto' || use.form === 'autoPlural') used.add(key);
  if (!mayExpand(`gls:${key}`, ctx) || depth >= 5) return;
  const budget = ctx.expansion!;
  const inner: Piece[] = [];
  budget.active.push(`gls:${key}`);
  try {
    reduceNodes(parseCached(source).content, source, ctx, inner, depth + 1);
  } catch {
    // An entry we cannot read is left out.
  } finally {
    budget.active.pop();
  }
  if (use.upper) {
    const text = assemble(inner);
    out.push({ math: false, text: use.upper === 'all' ? text.toUpperCase() : text.charAt(0).toUpperCase() + text.slice(1) });
  } else out.push(...inner);
}

/** An author-note macro: it and its arguments are left out (one note per macro says so). */
function skipNote(nodes: Ast.Node[], i: number, name: string, args: number, ctx: ReduceContext): number {
  let j = i;
  if (nodes[j + 1]?.type === 'string' && (nodes[j + 1] as Ast.String).content === '[') {
    const close = nodes.findIndex((n, k) => k > j + 1 && n.type === 'string' && n.content === ']');
    if (close > 0 && close - j < 60) j = close;
  }
  for (let taken = 0; taken < args; taken++) {
    let k = j + 1;
    while (nodes[k]?.type === 'whitespace') k++;
    if (nodes[k]?.type !== 'group') break;
    j = k;
  }
  const key = `note:${name}`;
  ctx.expansion ??= { expansions: MAX_EXPANSIONS, chars: MAX_EXPANDED_CHARS, active: [], reported: new Set() };
  report(ctx, key, `Left out \\${name}{…}: its definition only colours or boxes its argument behind a label, like an author's note.`);
  return j;
}

/** Whether the user macro `name` may be expanded once more; reports why not (once per macro). */
function mayExpand(name: string, ctx: ReduceContext): boolean {
  const budget = (ctx.expansion ??= { expansions: MAX_EXPANSIONS, chars: MAX_EXPANDED_CHARS, active: [], reported: new Set() });
  if (budget.active.includes(name)) {
    report(ctx, name, `\\${name} is defined in terms of itself (TeX would loop forever on it): it was left out.`);
    return false;
  }
  if (budget.chars < 0) return false;
  if (budget.expansions <= 0) {
    report(ctx, '\0count', `Too many macro expansions (over ${formatCount(MAX_EXPANSIONS)}; a definition that multiplies itself?): \\${name} and the rest were left out.`);
    return false;
  }
  budget.expansions--;
  return true;
}

/** The first `max` characters of `pieces`. */
function truncatePieces(pieces: Piece[], max: number): Piece[] {
  const kept: Piece[] = [];
  for (const p of pieces) {
    if (max <= 0) break;
    // Math is kept whole or not at all: half a formula is not TeX.
    if (p.text.length > max && p.math) break;
    kept.push(p.text.length > max ? { math: false, text: p.text.slice(0, max) } : p);
    max -= p.text.length;
  }
  return kept;
}

function report(ctx: ReduceContext, key: string, warning: string): void {
  const reported = ctx.expansion!.reported;
  if (reported.has(key)) return;
  reported.add(key);
  ctx.warnings.push(warning);
}

function applyAccent(nodes: Ast.Node[], i: number, mark: string, source: string, ctx: ReduceContext, out: Piece[], depth: number): number {
  const node = nodes[i] as Ast.Macro;
  const argContent = node.args?.find((a) => a.content.length)?.content;
  let j = i + 1;
  let target: Ast.Node[] | undefined = argContent;
  let rest = '';
  if (!target) {
    while (nodes[j]?.type === 'whitespace' && /^[a-zA-Z]$/.test(node.content)) j++;
    const next = nodes[j];
    if (next?.type === 'group') target = next.content;
    else if (next?.type === 'string') {
      target = [{ type: 'string', content: next.content.slice(0, 1) }];
      rest = next.content.slice(1);
    } else if (next?.type === 'macro' && (next.content === 'i' || next.content === 'j')) {
      target = [next];
    } else return i;
  } else j = i;
  const inner: Piece[] = [];
  reduceNodes(target, source, ctx, inner, depth);
  const text = assemble(inner);
  out.push({ math: false, text: (text.slice(0, 1) + mark).normalize('NFC') + text.slice(1) + rest });
  return j;
}

/**
 * Math keeps its TeX source, whatever the delimiters were, as `$...$`. The source is cut from the
 * snippet by the node's position (argument nodes attached later carry no positions of their own).
 */
function pushMath(node: Ast.InlineMath | Ast.DisplayMath | Ast.Environment, source: string, out: Piece[]): void {
  const pos = node.position;
  const raw = pos ? source.slice(pos.start.offset, pos.end.offset) : printRaw(node);
  const tex = raw
    .replace(/^\\begin\s*\{[^}]*\}|\\end\s*\{[^}]*\}$/g, '')
    .replace(/^(?:\$\$?|\\\(|\\\[)|(?:\$\$?|\\\)|\\\])$/g, '')
    .trim();
  if (tex) out.push({ math: true, text: `$${tex}$` });
}

/** Joins pieces: TeX ligatures in prose (`--`, ``` `` ```, `~`), whitespace collapsed, orphaned punctuation fixed. */
function assemble(pieces: Piece[], keepMarks = false): string {
  let result = '';
  let prose = '';
  const flush = () => {
    const text = prose
      .replace(/---/g, '—')
      .replace(/--/g, '–')
      .replace(/``/g, '“')
      .replace(/''/g, '”')
      .replace(/~/g, ' ');
    // Per stretch of prose: the words of a reference never reach across math.
    result += keepMarks ? text : tidyReferences(text);
    prose = '';
  };
  for (const p of pieces) {
    if (p.math) {
      flush();
      result += p.text;
    } else prose += p.text;
  }
  flush();
  return result
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/ +([.,;:!?)\]])/g, '$1')
    .replace(/([([]) +/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.,;:](?:\s+|$)/, '');
}

/** Last resort when the parser throws: drop macro names and braces. */
export function crudeStrip(source: string): string {
  return source
    .replace(/(?<!\\)%[^\n]*/g, ' ')
    // Each \s* is followed by a required character, so a long run of spaces is not rescanned per split.
    .replace(/\\(?:cite[a-z]*|ref|eqref|label|footnote|thanks)(?:\s*\[[^\]]*\])*\s*\{[^}]*\}/g, '')
    .replace(/\\[a-zA-Z@]+\*?/g, ' ')
    .replace(/[{}]/g, '')
    .replace(/~/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ +([.,;:!?])/g, '$1')
    .trim();
}
