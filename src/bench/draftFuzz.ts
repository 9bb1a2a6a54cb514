/**
 * Seeded generator of hostile drafts for extractDraft: a few small seed drafts (LaTeX and Markdown),
 * each mutated by byte flips, truncation, brace / backslash / `$` insertion, deep nesting, ~1 MB
 * repeats, NUL and random Unicode, CRLF, macro bombs and includes of cycles, directories, special and
 * huge files (through a readFile double that behaves like those files would). The same seed gives the
 * same cases, so the unit test's sample and the benchmark's 10,000 are reproducible.
 */
import type { ExtractOptions } from '../draft/types';

export interface FuzzCase {
  /** Index in the stream and the mutations applied, for reporting the slow or failing ones. */
  id: number;
  kinds: string[];
  text: string;
  options: ExtractOptions;
}

import { mulberry32 as rng } from '../training/random';

const ROOT = '/fuzz';

const LATEX_SEED = String.raw`\documentclass[11pt]{article}
\usepackage{amsmath,glossaries}
% arXiv: cs.LG, stat.ML
\newcommand{\method}{\textsc{FooNet}}
\newcommand{\drew}[1]{\textcolor{red}{[Drew: #1]}}
\newacronym{nn}{NN}{neural network}
\input{preamble}
\title{Sparse \method: Robust Estimation with $\mathcal{O}(n \log n)$ Cost}
\author{A. Author\thanks{Univ.}}
\begin{document}
\maketitle
\begin{abstract}
We study \emph{robust} estimation with $x_i \sim \mathcal{N}(0, 1)$ samples~\cite{huber1964}.
The \gls{nn} attains the minimax rate -- up to $\log n$ factors -- see Section~\ref{sec:proof}.\drew{check}
\input{sections/abstract-extra}
\end{abstract}
\section{Introduction}\label{sec:intro}
Robust statistics \citep{a,b} matters; $10^2-10^6\ M_\odot$ and \SI{3}{\meter}.
\input{sections/intro}
\end{document}
`;

const REVTEX_SEED = String.raw`\documentclass[aps,prl]{revtex4-2}
\begin{document}
\title{Observation of $\mathrm{CP}$-odd Effects in B Decays}
\author{Collab}
\abstract{We report a measurement of $\alpha \leq 0.3$ at \SI{13}{\tera\electronvolt}.\footnote{Note.}}
\maketitle
\section*{Abstract}
Old abstract kept for reference.
\end{document}
`;

const MARKDOWN_SEED = `---
title: "Retrieval-Augmented Generation for *Clinical* QA"
abstract: |
  We retrieve passages [@lewis2020; see @guu2020, p. 3] and answer questions with $p(y \\mid x)$.
  Results improve by 12%.
arxiv: {primary: cs.CL, cross: [cs.IR]}
---

# Heading Title

## Abstract

Body of the abstract with **bold**, \`code\`, $a_1 * b_2$ and a [link](http://x).

## Introduction

Text \\cite{x} and raw \\LaTeX{} here.
`;

const RMD_SEED = `---
title:
  formatted: "A \\\\emph{Formatted} Title"
  plain: "A Plain Title"
output: rticles::elsevier_article
---

**Abstract:** Short abstract with $\\beta$ and @citekey.

Keywords: one; two
`;

const SEEDS: { text: string; fileName: string }[] = [
  { text: LATEX_SEED, fileName: `${ROOT}/main.tex` },
  { text: REVTEX_SEED, fileName: `${ROOT}/prl.tex` },
  { text: MARKDOWN_SEED, fileName: `${ROOT}/paper.md` },
  { text: RMD_SEED, fileName: `${ROOT}/paper.Rmd` },
  { text: '## Abstract {.page_break_before}\n\nWe infer networks.\n', fileName: `${ROOT}/content/01.abstract.md` },
];

/** Tokens that stress the scanners when inserted or repeated. */
const HOSTILE_TOKENS = [
  '{', '}', '\\', '$', '$$', '%', '[', ']', '\\begin{abstract}', '\\end{abstract}', '\\section*{Abstract}', '\\title{',
  '\\input{sections/intro}', '\\input{', '\\iffalse', '\\fi', '\\begin{comment}', '\\def\\x{\\x\\x}', '\\cite{a}', ' ', '\n',
  '\n\n', '**Abstract**\n\n', '# ', '## Abstract\n', '---\n', ': ', '- ', '[@', '@k ', '`', '\\\\', '~\\ref{x}', '\\\\newline',
  '\\gls{nn}', '\\drew{', '\\abstract{', '\\maketitle', '<!--', '\\verb|', '\\(', '\\[', '&', '#', '\\u', '\\"{',
];

/** Files the readFile double knows: includes that cycle, directories, special and huge files. */
function virtualFiles(random: () => number, mutateText: (t: string) => string): Map<string, string | (() => string)> {
  const files = new Map<string, string | (() => string)>();
  files.set(`${ROOT}/preamble.tex`, '\\newcommand{\\R}{\\mathbb{R}}\n\\input{main}\n'); // cycles back to the root
  files.set(`${ROOT}/sections/abstract-extra.tex`, mutateText('More abstract text with \\method{} and $\\R^n$.\n\\input{sections/intro}\n'));
  files.set(`${ROOT}/sections/intro.tex`, '\\input{sections/abstract-extra}\n\\title{Late title}\n'); // a cycle of two
  files.set(`${ROOT}/sections/dir.tex`, () => {
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
  });
  files.set(`${ROOT}/sections/fifo.tex`, () => {
    throw Object.assign(new Error('refused: not a regular file (FIFO)'), { code: 'EINVAL' });
  });
  // /proc/self/pagemap and friends: a reader without a byte cap would get this much (and more).
  files.set(`${ROOT}/sections/proc.tex`, () => 'x'.repeat(2_500_000));
  files.set(`${ROOT}/sections/binary.tex`, () => 'PK\u0003\u0004\u0000\u0000binary');
  // An include bomb: every file cached, but the \input commands multiply (1,000 x 1,000 walks).
  files.set(`${ROOT}/sections/bomb.tex`, '\\input{sections/bomb2}\n'.repeat(1000));
  files.set(`${ROOT}/sections/bomb2.tex`, '\\input{sections/deep15}\n'.repeat(1000));
  files.set(`${ROOT}/sections/deep0.tex`, '\\input{sections/deep1}');
  for (let i = 1; i < 20; i++) files.set(`${ROOT}/sections/deep${i}.tex`, `\\input{sections/deep${i + 1}}\\title{Deep ${i}}`);
  files.set(`${ROOT}/content/metadata.yaml`, random() < 0.5 ? 'title: "Manubot Title"\n' : mutateText('title: "Manubot Title"\nkeywords: [a, b]\n'));
  files.set(`${ROOT}/content/01.abstract.md`, mutateText('## Abstract\n\nSibling abstract.\n'));
  return files;
}

const INCLUDE_TARGETS = ['sections/bomb', 'sections/dir', 'sections/fifo', 'sections/proc', 'sections/binary', 'sections/deep0', 'sections/intro', 'main', 'missing', '/proc/self/pagemap', '../../etc/passwd', 'sections/'];

export function readFileDouble(files: Map<string, string | (() => string)>): (p: string) => string | undefined {
  return (p) => {
    const f = files.get(p);
    if (f === undefined) return undefined;
    return typeof f === 'function' ? f() : f;
  };
}

type Mutation = (text: string, r: () => number) => string;

const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)];
const at = (text: string, r: () => number) => Math.floor(r() * (text.length + 1));

function randomUnicode(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const kind = r();
    // Lone surrogates, combining marks, RTL marks, astral symbols, private use (our own marks live there).
    if (kind < 0.15) s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800));
    else if (kind < 0.3) s += String.fromCharCode(0x300 + Math.floor(r() * 0x70));
    else if (kind < 0.4) s += pick(['\u202e', '\u200f', '\ufeff', '\u2028', '\ue000', '\ue001', '\r', '\t'], r);
    else if (kind < 0.6) s += String.fromCodePoint(0x1f300 + Math.floor(r() * 0x300));
    else s += String.fromCodePoint(Math.floor(r() * 0x3000));
  }
  return s;
}

/** Each mutation with its name; some make ~1 MB inputs. */
export const MUTATIONS: Record<string, Mutation> = {
  byteFlips: (t, r) => {
    const chars = t.split('');
    const n = 1 + Math.floor(r() * 20);
    for (let i = 0; i < n && chars.length; i++) chars[Math.floor(r() * chars.length)] = String.fromCharCode(Math.floor(r() * 128));
    return chars.join('');
  },
  truncate: (t, r) => t.slice(0, at(t, r)),
  insertTokens: (t, r) => {
    const n = 1 + Math.floor(r() * 30);
    for (let i = 0; i < n; i++) {
      const k = at(t, r);
      t = t.slice(0, k) + pick(HOSTILE_TOKENS, r) + t.slice(k);
    }
    return t;
  },
  deepNesting: (t, r) => {
    const open = pick(['{', '[', '\\begin{abstract}', '$', '\\begin{itemize}', '{\\bf ', '\\emph{', '> ', '- ', '  ', '(', '\\title{'], r);
    const k = at(t, r);
    return t.slice(0, k) + open.repeat(1 + Math.floor(r() * 50_000)) + t.slice(k);
  },
  megabyteRepeat: (t, r) => {
    const unit = r() < 0.5 ? pick(HOSTILE_TOKENS, r) : t.slice(at(t, r)).slice(0, 1 + Math.floor(r() * 200)) || 'x';
    const k = at(t, r);
    return t.slice(0, k) + unit.repeat(Math.max(1, Math.floor(1_000_000 / unit.length))) + t.slice(k);
  },
  nul: (t, r) => {
    const k = at(t, r);
    return t.slice(0, k) + '\u0000' + t.slice(k);
  },
  unicode: (t, r) => {
    const k = at(t, r);
    return t.slice(0, k) + randomUnicode(r, 1 + Math.floor(r() * 200)) + t.slice(k);
  },
  crlf: (t, r) => (r() < 0.5 ? t.replace(/\n/g, '\r\n') : t.replace(/\n/g, '\r')),
  macroBomb: (t, r) => {
    const n = 2 + Math.floor(r() * 200);
    const bombs = [
      `\\def\\a{${'\\a'.repeat(n)}}`,
      `\\def\\pa{${'\\pb'.repeat(n)}}\\def\\pb{${'\\pc'.repeat(n)}}\\def\\pc{${'\\pd '.repeat(n)}}\\def\\pd{${'w '.repeat(n)}}`,
      `\\newcommand{\\s}{${' ~ \\cite{x}'.repeat(n % 40)}}`,
      `\\newacronym{a}{\\gls{a}}{\\gls{a}\\gls{a}}`,
    ];
    const uses = ['\\a', '\\pa', '\\s', '\\gls{a}'];
    const i = Math.floor(r() * bombs.length);
    const k = at(t, r);
    return bombs[i] + '\n' + t.slice(0, k) + ` ${uses[i]} `.repeat(1 + Math.floor(r() * 50)) + t.slice(k);
  },
  includes: (t, r) => {
    const n = 1 + Math.floor(r() * 5);
    for (let i = 0; i < n; i++) {
      const k = at(t, r);
      const cmd = pick(['\\input', '\\include', '\\subfile', '\\import{sections/}', '\\subimport{./}'], r);
      t = t.slice(0, k) + `\n${cmd}{${pick(INCLUDE_TARGETS, r)}}\n` + t.slice(k);
    }
    return t;
  },
  texRoot: (t, r) => `% !TEX root = ${pick(['main.tex', '/proc/self/pagemap', 'sections/dir', 'missing.tex', 'prl.tex'], r)}\n` + t,
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** `count` cases from `seed`: one seed draft each, with one to three mutations. */
export function* fuzzCases(seed: number, count: number): Generator<FuzzCase> {
  const r = rng(seed);
  for (let id = 0; id < count; id++) {
    const base = pick(SEEDS, r);
    const kinds: string[] = [];
    let text = base.text;
    const n = 1 + Math.floor(r() * 3);
    for (let m = 0; m < n; m++) {
      const name = pick(MUTATION_NAMES, r);
      kinds.push(name);
      text = MUTATIONS[name](text, r);
      if (text.length > 2_100_000) text = text.slice(0, 2_100_000); // about the default size limit: larger is refused whole
    }
    const light = (s: string) => (r() < 0.3 ? MUTATIONS.insertTokens(s, r) : s);
    const files = virtualFiles(r, light);
    files.set(base.fileName, text);
    yield {
      id,
      kinds,
      text,
      options: { fileName: base.fileName, readFile: r() < 0.9 ? readFileDouble(files) : undefined },
    };
  }
}
