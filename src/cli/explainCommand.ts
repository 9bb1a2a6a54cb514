/** `explain FILE|- [--model DIR] [--json] [--top N] [--allow-outside-includes]`: the words behind a draft's prediction. */
import { loadClassifier, defaultModelDir } from '../model/classifier';
import { evidenceSides, formatWeight, type EvidenceItem } from '../shared/evidence';
import { evidenceDto } from '../server/evidence';
import { parse, UsageError } from './args';
import { readPaperArg } from './classifyCommand';

export async function explainCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { model: { type: 'string' }, json: { type: 'boolean' }, top: { type: 'string' }, 'allow-outside-includes': { type: 'boolean' } });
  const file = positionals[0];
  if (!file) throw new UsageError('explain needs a FILE (.tex, .md, .qmd, .Rmd) or "-" for JSON {title, abstract} on stdin');
  const { paper, display, warnings, source } = readPaperArg(file, { allowOutsideIncludes: values['allow-outside-includes'] === true });
  const model = await loadClassifier(values.model ?? defaultModelDir());
  try {
    const e = evidenceDto(await model.explain(paper), source?.text ?? '', source?.parts ?? []);
    if (values.json) {
      out(JSON.stringify({ title: display.title, model: model.info.name, warnings, evidence: e }));
      return 0;
    }
    const n = Math.max(1, Number(values.top ?? 8));
    const { forTop, forRunnerUp } = evidenceSides(e, n);
    const where = (i: EvidenceItem) => (i.ranges.length ? `  line ${i.ranges.map((r) => r.start.line + 1).filter((l, k, a) => a.indexOf(l) === k).slice(0, 4).join(', ')}` : '');
    const list = (items: EvidenceItem[]) => (items.length ? items.map((i) => `  ${formatWeight(i.weight).padStart(6)}  ${i.term.padEnd(28)}${where(i)}`) : ['  (none)']);
    out(`Why ${e.top} (${(100 * e.pTop).toFixed(1)}%) rather than ${e.runnerUp} (${(100 * e.pRunnerUp).toFixed(1)}%)?`);
    for (const w of warnings) out(`Note: ${w}`);
    out('');
    out(`Evidence for ${e.top}:`);
    list(forTop).forEach((l) => out(l));
    out('');
    out(`Evidence for ${e.runnerUp}:`);
    list(forRunnerUp).forEach((l) => out(l));
    out('');
    out(`Numbers are contributions to ln(p(${e.top}) / p(${e.runnerUp})) = ${e.logOdds.toFixed(2)} (natural log; +0.69 doubles the odds):`);
    out(`n-gram weights x features (exact) plus integrated gradients of the cross-attention model (${e.method.steps} steps).`);
    out('This is what this model relied on, not a rule of arXiv.');
    out(`Model: ${model.info.name}; ${e.elapsedMs.toFixed(0)} ms`);
    return 0;
  } finally {
    model.dispose();
  }
}
