/**
 * fastText baseline (Debian `fasttext`, word bigrams), run side by side when the binary is installed.
 * Trains on the same training split and label mapping, scores the test split with full probability rows.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { wordsForNgrams } from '../model/text/normalize';

const run = promisify(execFile);

export async function fasttextAvailable(bin = 'fasttext'): Promise<boolean> {
  try {
    await run(bin, ['help'], { timeout: 5000 }).catch((e: { stdout?: string; stderr?: string }) => {
      // `fasttext help` exits non-zero but prints usage
      if (!String(e.stdout ?? '') && !String(e.stderr ?? '')) throw e;
    });
    return true;
  } catch {
    return false;
  }
}

export interface FasttextResult {
  probs: Float32Array[];
  trainSeconds: number;
  examplesPerSec: number;
}

const clean = (t: string) => wordsForNgrams(t).join(' ');

export async function runFasttext(
  train: { text: string; label: number }[],
  test: string[],
  numLabels: number,
  opts: { bin?: string; epoch?: number; dim?: number; lr?: number; seed?: number } = {},
): Promise<FasttextResult> {
  const bin = opts.bin ?? 'fasttext';
  const dir = mkdtempSync(join(tmpdir(), 'ft-'));
  try {
    writeFileSync(join(dir, 'train.txt'), train.map((p) => `__label__${p.label} ${clean(p.text)}`).join('\n') + '\n');
    writeFileSync(join(dir, 'test.txt'), test.map((t) => clean(t)).join('\n') + '\n');
    const epoch = opts.epoch ?? 10;
    const t0 = Date.now();
    await run(bin, ['supervised', '-input', join(dir, 'train.txt'), '-output', join(dir, 'model'), '-wordNgrams', '2', '-epoch', String(epoch), '-lr', String(opts.lr ?? 0.5), '-dim', String(opts.dim ?? 50), '-thread', '2', '-seed', String(opts.seed ?? 42), '-minCount', '2', '-bucket', '1000000', '-verbose', '0'], { maxBuffer: 1 << 26 });
    const trainSeconds = (Date.now() - t0) / 1000;
    const { stdout } = await run(bin, ['predict-prob', join(dir, 'model.bin'), join(dir, 'test.txt'), String(numLabels)], { maxBuffer: 1 << 30 });
    const lines = stdout.split('\n');
    const probs: Float32Array[] = test.map((_, i) => {
      const row = new Float32Array(numLabels);
      const parts = (lines[i] ?? '').trim().split(/\s+/);
      for (let k = 0; k + 1 < parts.length; k += 2) {
        const lab = Number(parts[k].replace('__label__', ''));
        if (Number.isInteger(lab) && lab >= 0 && lab < numLabels) row[lab] = Number(parts[k + 1]);
      }
      const s = row.reduce((a, b) => a + b, 0);
      if (s > 0) for (let c = 0; c < numLabels; c++) row[c] /= s;
      else row.fill(1 / numLabels);
      return row;
    });
    return { probs, trainSeconds, examplesPerSec: (train.length * epoch) / trainSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
