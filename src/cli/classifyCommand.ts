/** `classify FILE|- [--model DIR] [--json]`: extract title/abstract from a draft and classify it. */
import { readFileSync } from 'node:fs';
import { extractDraftFromFile } from '../draft/extract';
import { loadClassifier, defaultModelDir } from '../model/classifier';
import type { PaperText } from '../model/types';
import { CROSSLIST_MIN_P } from '../shared/ui';
import { parse, UsageError } from './args';
import { insightHead, insightJson, insightTail } from './insightOutput';

export interface ClassifyJson {
  title: string;
  abstract: string;
  primary: { category: string; name: string; p: number }[];
  crosslists: { category: string; name: string; p: number }[];
  model: string;
  warnings: string[];
  /** prediction set, provisional, language, other, neighbours (insightOutput.ts) */
  [insight: string]: unknown;
}

function readStdin(): string {
  return readFileSync(0, 'utf8');
}

export async function classifyCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { model: { type: 'string' }, json: { type: 'boolean' }, top: { type: 'string' } });
  const file = positionals[0];
  if (!file) throw new UsageError('classify needs a FILE (.tex, .md, .qmd, .Rmd) or "-" for JSON {title, abstract} on stdin');
  let paper: PaperText;
  let warnings: string[] = [];
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
  } else {
    const d = extractDraftFromFile(file);
    warnings = d.warnings;
    const body = (d as { bodyText?: string }).bodyText ?? '';
    paper = { title: d.title ?? '', abstract: d.abstract ?? body };
    if (!paper.title && !paper.abstract) {
      throw new UsageError(`Nothing to classify in ${file}: ${warnings.join(' ') || 'no title, abstract or text found'}`);
    }
  }
  const model = await loadClassifier(values.model ?? defaultModelDir());
  const t0 = performance.now();
  const pred = await model.classify(paper);
  const ms = performance.now() - t0;
  const top = Math.max(1, Number(values.top ?? 5));
  const round = (x: { category: string; name: string; p: number }) => ({ ...x, p: Math.round(x.p * 1e4) / 1e4 });
  if (values.json) {
    const j: ClassifyJson = { title: paper.title, abstract: paper.abstract, primary: pred.primary.map(round), crosslists: pred.crosslists.map(round), model: pred.model, warnings, ...insightJson(pred.insights) };
    out(JSON.stringify(j));
  } else {
    out(`Title:    ${paper.title || '(none)'}`);
    out(`Abstract: ${paper.abstract.length > 300 ? paper.abstract.slice(0, 300) + '…' : paper.abstract || '(none)'}`);
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
