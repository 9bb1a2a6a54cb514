/**
 * SciBERT (ONNX) encoders in model selection: an encoder export alone cannot classify; it needs a classifier
 * head trained on its features. These helpers find the heads already trained on an encoder folder. Pure
 * Node (no vscode), so they are unit-tested directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_FILES } from '../model/onnx/exportFiles';

/** True for a Hugging Face optimum-style export folder: model.onnx (or quantized) + a vocabulary. */
export function isOnnxExport(dir: string): boolean {
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  return MODEL_FILES.some(has) && (has('vocab.txt') || has('tokenizer.json')) && !has('manifest.json');
}

export interface TrainedHead {
  name: string;
  dir: string;
  mtimeMs: number;
}

/**
 * Trained bundles under `trainingDir` whose cross-attention head was trained on the encoder in `encoderDir`,
 * newest first. Unreadable or foreign folders are skipped (they are not ours to judge here).
 */
export function headsForEncoder(trainingDir: string, encoderDir: string): TrainedHead[] {
  const want = path.resolve(encoderDir);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(trainingDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: TrainedHead[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name.endsWith('.ckpt')) continue;
    const dir = path.join(trainingDir, e.name);
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { name?: unknown; crossAttention?: { onnxEncoderDir?: unknown } };
      const enc = manifest.crossAttention?.onnxEncoderDir;
      if (typeof enc !== 'string' || path.resolve(dir, enc) !== want) continue;
      out.push({ name: typeof manifest.name === 'string' ? manifest.name : e.name, dir, mtimeMs: fs.statSync(dir).mtimeMs });
    } catch {
      /* no or unreadable manifest: not a trained head */
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}
