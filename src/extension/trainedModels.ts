/**
 * The models a user can select: trained bundles in the extension's storage, and SciBERT (ONNX) encoder
 * exports, which cannot classify alone and need a head trained on their features (found here by encoder).
 * Pure Node (no vscode), so it is unit-tested directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_FILES } from '../model/onnx/exportFiles';

/** True for a Hugging Face optimum-style export folder: model.onnx (or quantized) + a vocabulary. */
export function isOnnxExport(dir: string): boolean {
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  return MODEL_FILES.some(has) && (has('vocab.txt') || has('tokenizer.json')) && !has('manifest.json');
}

export interface TrainedModel {
  name: string;
  dir: string;
  mtimeMs: number;
}

/** Trained bundles in the extension's storage (checkpoint and hidden folders excluded), newest first. */
export function listTrainedModels(trainingDir: string): TrainedModel[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(trainingDir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.endsWith('.ckpt') && !e.name.startsWith('.'))
    .map((e) => {
      const dir = path.join(trainingDir, e.name);
      return { name: e.name, dir, mtimeMs: fs.statSync(dir).mtimeMs };
    })
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/**
 * Trained bundles under `trainingDir` whose cross-attention head was trained on the encoder in `encoderDir`,
 * newest first, named as their manifests name them. Unreadable or foreign folders are skipped.
 */
export function headsForEncoder(trainingDir: string, encoderDir: string): TrainedModel[] {
  const want = path.resolve(encoderDir);
  const out: TrainedModel[] = [];
  for (const m of listTrainedModels(trainingDir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(m.dir, 'manifest.json'), 'utf8')) as { name?: unknown; crossAttention?: { onnxEncoderDir?: unknown } };
      const enc = manifest.crossAttention?.onnxEncoderDir;
      if (typeof enc === 'string' && path.resolve(m.dir, enc) === want) out.push({ ...m, name: typeof manifest.name === 'string' ? manifest.name : m.name });
    } catch {
      /* no or unreadable manifest: not a trained head */
    }
  }
  return out;
}
