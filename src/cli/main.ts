/**
 * arXiv Classifier command line: `npm run cli -- <command> ...` (classify | train | eval | bench).
 * With --json, stdout carries exactly one JSON object; progress and messages go to stderr.
 */
import { classifyCommand } from './classifyCommand';
import { explainCommand } from './explainCommand';
import { evalCommand } from './evalCommand';
import { trainCommand } from './trainCommand';
import { UsageError } from './args';

const USAGE = `usage: npm run cli -- <command> [options]

  classify FILE|- [--model DIR] [--json] [--evidence] [--top N] [--allow-outside-includes]
        Classify a .tex/.md/.qmd/.Rmd draft (or JSON {title, abstract} on stdin with "-").
        With --json --evidence, the JSON gains the "evidence" field of explain --json.
  explain FILE|- [--model DIR] [--json] [--top N] [--allow-outside-includes]
        The title/abstract words that pull the prediction toward the top category or the runner-up.
  eval --data FILE [--labels cs.AI,cs.CL,cs.CV,cs.LG] [--model DIR] [--split test|validation|train|all] [--json]
        Evaluate a model on labelled papers (JSONL, JSONL.gz or CSV).
  train [--config FILE] [--data FILE] [--out DIR] [--epochs N] [--labels a,b] [--max-papers N]
        [--augment backtranslation,synonyms,eda] [--augment-ratio R] [--loss ce|focal|dice] [--gamma G]
        [--members cross-attention,ngram] [--onnx-encoder DIR] [--base-model DIR [--freeze-encoder]]
        [--no-resume] [--json]
        Train a model bundle (resumes from OUT.ckpt after an interruption). With --onnx-encoder,
        the cross-attention head trains on frozen token states of a SciBERT ONNX export. With --base-model,
        fine-tunes that model (its vocabulary, labels, architecture), optionally with the encoder frozen.
  bundle-extras [--model DIR] [--data FILE] [--json]
        Add the "papers like yours" index (training split) and the prediction-set threshold (validation
        split) to an existing model bundle, from the data it was trained on (training does this itself).
  bench [--json] [--out FILE] [--quick] [--insights-only]
        Accuracy, calibration, latency and memory of the shipped model vs. baselines.
  bench-explain [--papers 1000] [--steps N] [--json] [--out FILE]
        Faithfulness (deleting evidence words vs random/frequent words) and speed of the evidence.
  bench-augment [--seeds 1,2,3] [--per-class 3000] [--members cross-attention,ngram] [--epochs N]
        What each augmentation technique buys (4-class, cs.AI augmented), mean and sd over seeds.
  bench-crosslist [--papers 3000] [--json] [--out FILE]
        How often the "very unlikely cross-list" hint fires on real and on unlisted cross-lists (test split).
  bench-fuzz [--count 10000] [--seed 1] [--out bench-results/fuzz.json] [--json]
        Seeded hostile drafts through draft extraction: time per input and peak memory.`;

async function main(argv: string[]): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const err = (s: string) => process.stderr.write(s + '\n');
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'classify':
        return await classifyCommand(rest, out);
      case 'explain':
        return await explainCommand(rest, out);
      case 'eval':
        return await evalCommand(rest, out, err);
      case 'train':
        return await trainCommand(rest, out, err);
      case 'bundle-extras': {
        const { bundleExtrasCommand } = await import('./bundleExtrasCommand');
        return await bundleExtrasCommand(rest, out, err);
      }
      case 'bench': {
        const { benchCommand } = await import('../bench/benchCommand');
        return await benchCommand(rest, out, err);
      }
      case 'bench-explain': {
        const { explainBenchCommand } = await import('../bench/explainBench');
        return await explainBenchCommand(rest, out, err);
      }
      case 'bench-crosslist': {
        const { crosslistHintBenchCommand } = await import('../bench/crosslistHintBench');
        return await crosslistHintBenchCommand(rest, out, err);
      }
      case 'bench-fuzz': {
        const { fuzzBenchCommand } = await import('../bench/fuzzBench');
        return await fuzzBenchCommand(rest, out, err);
      }
      case 'bench-augment': {
        const { augmentBenchCommand } = await import('../bench/augmentBench');
        return await augmentBenchCommand(rest, out, err);
      }
      // Internal: child processes of the benchmark (not for users).
      case 'bench-latency-child': {
        const { latencyChild } = await import('../bench/benchCommand');
        await latencyChild(rest[0], rest[1]);
        return 0;
      }
      case 'bench-onnx-child': {
        const { childMain } = await import('../bench/onnxBench');
        await childMain(rest[1] ?? '{}');
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return cmd ? 0 : 2;
      default:
        err(`Unknown command "${cmd}".\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    err(`error: ${(e as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
