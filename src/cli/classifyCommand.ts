/** `classify FILE|- [--model DIR] [--json]`: extract title/abstract from a draft and classify it. */
import { readSync } from 'node:fs';
import { readRegularFile } from '../shared/regularFile';
import { extractDraftFromFile } from '../draft/extract';
import { loadClassifier, defaultModelDir } from '../model/classifier';
import type { PaperText } from '../model/types';
import { CROSSLIST_MIN_P } from '../shared/ui';
import { parse, UsageError } from './args';
import { insightHead, insightJson, insightTail } from './insightOutput';
import { resolve } from 'node:path';
import type { SourceRange } from '../draft/types';
import type { EvidenceDto } from '../shared/evidence';
import { evidenceDto } from '../server/evidence';

export interface ClassifyJson {
  title: string;
  abstract: string;
  primary: { category: string; name: string; p: number }[];
  crosslists: { category: string; name: string; p: number }[];
  model: string;
  warnings: string[];
  /** prediction set, provisional, language, other, neighbours (insightOutput.ts) */
  [insight: string]: unknown;
  /** with --evidence: the words behind the prediction (same as `explain --json`) */
  evidence?: EvidenceDto;
}

/** Largest draft file read again to place evidence in it (the extractor applies its own cap first). */
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

function readCapped(file: string): string | undefined {
  // Regular files only, capped while reading (a FIFO's size is 0: statSync alone would let a blocking read through).
  const r = readRegularFile(file, MAX_SOURCE_BYTES);
  return r.ok ? r.bytes.toString('utf8') : undefined;
}

/** JSON {title, abstract} on stdin larger than this is refused (a title and an abstract are a few KB). */
export const MAX_STDIN_BYTES = 4 * 1024 * 1024;

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Reads stdin to its end, refusing more than `maxBytes` (counted while reading: a pipe has no size). */
export function readStdin(maxBytes = MAX_STDIN_BYTES, fd = 0): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 10); // non-blocking stdin with no data yet: wait a little, do not spin
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new UsageError(`stdin has more than ${maxBytes.toLocaleString('en-US')} bytes; classify - expects JSON {title, abstract}.`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The paper named on the command line: a draft file, or "-" for JSON {title, abstract} on stdin. */
export function readPaperArg(
  file: string,
  opts: { allowOutsideIncludes?: boolean } = {},
): { paper: PaperText; display: PaperText; warnings: string[]; source?: { text: string; parts: SourceRange[] } } {
  let paper: PaperText;
  /** What people read: math rendered as Unicode (the model reads `paper`, TeX source as it was trained on). */
  let display: PaperText;
  let warnings: string[] = [];
  let source: { text: string; parts: SourceRange[] } | undefined;
  if (file === '-') {
    let raw: unknown;
    try {
      raw = JSON.parse(readStdin());
    } catch (e) {
      throw new UsageError(`stdin is not JSON: ${(e as Error).message}`);
    }
    const r = raw as Partial<PaperText>;
    if (!r || typeof r !== 'object' || (typeof r.title !== 'string' && typeof r.abstract !== 'string')) {
      throw new UsageError('stdin JSON needs a "title" and/or "abstract" string');
    }
    paper = { title: typeof r.title === 'string' ? r.title : '', abstract: typeof r.abstract === 'string' ? r.abstract : '' };
    display = paper;
  } else {
    // The named file is read as asked; its includes only from its own folder tree unless allowed.
    const d = extractDraftFromFile(file, { allowOutsideIncludes: opts.allowOutsideIncludes === true });
    const text = readCapped(file);
    if (text !== undefined) source = { text, parts: [d.titleRange, d.abstractRange].filter((r): r is SourceRange => !!r && resolve(r.file) === resolve(file)) };
    warnings = d.warnings;
    const body = (d as { bodyText?: string }).bodyText ?? '';
    paper = { title: d.title ?? '', abstract: d.abstract ?? body };
    display = { title: d.titleDisplay ?? paper.title, abstract: d.abstractDisplay ?? paper.abstract };
    if (!paper.title && !paper.abstract) {
      throw new UsageError(`Nothing to classify in ${file}: ${warnings.join(' ') || 'no title, abstract or text found'}`);
    }
  }
  return { paper, display, warnings, source };
}

export async function classifyCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { model: { type: 'string' }, json: { type: 'boolean' }, top: { type: 'string' }, evidence: { type: 'boolean' }, 'allow-outside-includes': { type: 'boolean' } });
  const file = positionals[0];
  if (!file) throw new UsageError('classify needs a FILE (.tex, .md, .qmd, .Rmd) or "-" for JSON {title, abstract} on stdin');
  const { paper, display, warnings, source } = readPaperArg(file, { allowOutsideIncludes: values['allow-outside-includes'] === true });
  const model = await loadClassifier(values.model ?? defaultModelDir());
  const t0 = performance.now();
  const pred = await model.classify(paper);
  const ms = performance.now() - t0;
  const top = Math.max(1, Number(values.top ?? 5));
  const round = (x: { category: string; name: string; p: number }) => ({ ...x, p: Math.round(x.p * 1e4) / 1e4 });
  if (values.json) {
    const j: ClassifyJson = { title: display.title, abstract: display.abstract, primary: pred.primary.map(round), crosslists: pred.crosslists.map(round), model: pred.model, warnings, ...insightJson(pred.insights) };
    if (values.evidence) j.evidence = evidenceDto(await model.explain(paper), source?.text ?? '', source?.parts ?? []);
    out(JSON.stringify(j));
  } else {
    out(`Title:    ${display.title || '(none)'}`);
    out(`Abstract: ${display.abstract.length > 300 ? display.abstract.slice(0, 300) + '…' : display.abstract || '(none)'}`);
    for (const w of warnings) out(`Note:     ${w}`);
    insightHead(pred.insights).forEach((l) => out(l));
    out('');
    out('Primary category:');
    for (const c of pred.primary.slice(0, top)) out(`  ${(c.p * 100).toFixed(1).padStart(5)}%  ${c.category.padEnd(18)} ${c.name}`);
    const cross = pred.crosslists.filter((c) => c.p >= CROSSLIST_MIN_P).slice(0, 4);
    out('');
    out(`Suggested cross-lists (p >= ${CROSSLIST_MIN_P.toFixed(2)}):` + (cross.length ? '' : ' none'));
    for (const c of cross) out(`  ${(c.p * 100).toFixed(1).padStart(5)}%  ${c.category.padEnd(18)} ${c.name}`);
    insightTail(pred.insights).forEach((l) => out(l));
    out('');
    out(`Model: ${pred.model} (${model.info.dir}); ${ms.toFixed(1)} ms`);
  }
  model.dispose();
  return 0;
}
