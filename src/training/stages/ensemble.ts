/**
 * Stage 5, pure given the members' outputs: temperature scaling of each member on validation, the stacking
 * meta-learner (k-fold on validation), the choice of what to ship (validation macro-F1, never test), and the
 * source of the cross-list head.
 */
import { logSoftmax, softmaxWithTemperature, sigmoid } from '../../model/calibration';
import type { Stacker } from '../../model/stacking';
import type { BundleManifest } from '../../model/bundle';
import { fitTemperature, fitBinaryTemperature } from '../calibrationFit';
import { crossValidatedStacker } from '../stackerFit';
import { macroF1 } from '../eval/metrics';
import { headline } from '../eval/headline';
import type { NgramMemberOutput } from '../ngramMember';
import type { TrainingReport } from '../pipeline';

export type Chosen = 'ensemble' | 'cross-attention' | 'ngram';

/** Raw logits of both heads of the cross-attention member. */
export interface MemberLogits {
  val: { primary: Float32Array[]; multi: Float32Array[] };
  test: { primary: Float32Array[]; multi: Float32Array[] };
}

export interface EnsembleInput {
  primaryLabels: readonly string[];
  numMulti: number;
  valY: Int32Array;
  testY: Int32Array;
  /** validation cross-list indicators, row-major [paper][multi label] */
  valMulti: Uint8Array;
  crossAttention?: MemberLogits;
  /** its temperature is set here (json.temperature) */
  ngram?: NgramMemberOutput;
  /** A run on a SciBERT encoder was asked for that encoder: never ship the n-gram member alone. */
  keepEncoder: boolean;
  seed: number;
}

export interface EnsembleChoice {
  members: TrainingReport['members'];
  chosen: Chosen;
  /** test probabilities of what ships */
  testFinal: Float32Array[];
  xT: number;
  xMT: number;
  nT: number;
  stacker?: Stacker;
  stackT: number;
}

function probsFromLogits(rows: Float32Array[], T: number): Float32Array[] {
  return rows.map((r) => softmaxWithTemperature(r, T));
}

export function calibrateAndChoose(inp: EnsembleInput): EnsembleChoice {
  const { valY, testY, crossAttention: xo, ngram, seed } = inp;
  const labels = inp.primaryLabels as string[];
  const members: TrainingReport['members'] = {};
  const C = labels.length;
  let xT = 1, xMT = 1;
  let valX: Float32Array[] | undefined, testX: Float32Array[] | undefined;
  if (xo) {
    xT = fitTemperature(xo.val.primary, valY);
    const valTargets = Array.from({ length: valY.length }, (_, i) => inp.valMulti.subarray(i * inp.numMulti, (i + 1) * inp.numMulti));
    xMT = fitBinaryTemperature(xo.val.multi, valTargets);
    valX = probsFromLogits(xo.val.primary, xT);
    testX = probsFromLogits(xo.test.primary, xT);
    members['cross-attention'] = { validation: { accuracy: headline(valX, valY, labels).top1, macro_f1: macroF1(valX, valY, C) }, test: headline(testX, testY, labels) };
  }
  let nT = 1;
  let valN: Float32Array[] | undefined, testN: Float32Array[] | undefined;
  if (ngram) {
    nT = fitTemperature(ngram.outputs.validation.logits, valY);
    (ngram.json as { temperature: number }).temperature = nT;
    valN = probsFromLogits(ngram.outputs.validation.logits, nT);
    testN = probsFromLogits(ngram.outputs.test.logits, nT);
    members.ngram = { validation: { accuracy: headline(valN, valY, labels).top1, macro_f1: macroF1(valN, valY, C) }, test: headline(testN, testY, labels) };
  }
  let stacker: Stacker | undefined;
  let stackT = 1;
  let chosen: Chosen = xo ? 'cross-attention' : 'ngram';
  let testFinal = (testX ?? testN)!;
  if (xo && ngram) {
    const base = [xo.val.primary.map((z) => logSoftmax(z, xT)), ngram.outputs.validation.logits.map((z) => logSoftmax(z, nT))];
    const cv = crossValidatedStacker(base, valY, { mode: 'classwise', seed });
    const fitted = cv.stacker;
    stacker = fitted;
    // Temperature of the stacker, fitted on its out-of-fold outputs (not on what it was fitted to).
    stackT = fitTemperature(cv.outOfFoldLogits, valY);
    const oofProbs = probsFromLogits(cv.outOfFoldLogits, stackT);
    const stackF1 = macroF1(oofProbs, valY, C);
    const testStack = xo.test.primary.map((z, i) =>
      softmaxWithTemperature(fitted.predictLogits([logSoftmax(z, xT), logSoftmax(ngram.outputs.test.logits[i], nT)]), stackT),
    );
    members.ensemble = { validation: { accuracy: cv.heldOut.accuracy, macro_f1: stackF1 }, test: headline(testStack, testY, labels) };
    // Choose on validation (out-of-fold for the stacker), never on test.
    const valF1: Partial<Record<Chosen, number>> = { ensemble: stackF1, 'cross-attention': members['cross-attention'].validation.macro_f1, ngram: members.ngram.validation.macro_f1 };
    if (inp.keepEncoder) delete valF1.ngram;
    chosen = (Object.entries(valF1).sort((a, b) => b[1] - a[1])[0][0]) as Chosen;
    testFinal = chosen === 'ensemble' ? testStack : chosen === 'ngram' ? testN! : testX!;
  } else if (ngram) {
    chosen = 'ngram';
  }
  return { members, chosen, testFinal, xT, xMT, nT, stacker, stackT };
}

/** Mean binary cross-entropy of probabilities against row-major 0/1 targets with M labels per row. */
export function meanBce(probs: Float32Array[], targets: Uint8Array, M: number): number {
  let s = 0;
  probs.forEach((row, i) => row.forEach((p, j) => {
    const y = targets[i * M + j];
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
    s -= y ? Math.log(q) : Math.log(1 - q);
  }));
  return s / Math.max(1, probs.length * M);
}

/** Cross-list head: the source (among those shipped) with the lower validation log-loss. */
export function chooseMultiSource(inp: {
  chosen: Chosen;
  numMulti: number;
  valMulti: Uint8Array;
  /** raw validation logits of the cross-attention member's sigmoid head, and its temperature */
  crossAttentionMulti?: Float32Array[];
  xMT: number;
  /** the n-gram member's calibrated validation probabilities */
  ngramMulti?: Float32Array[];
}): BundleManifest['multiSource'] {
  const { chosen, numMulti: M, valMulti: valM, xMT, ngramMulti } = inp;
  const xMultiVal = inp.crossAttentionMulti?.map((r) => Float32Array.from(r, (z) => sigmoid(z / xMT)));
  const candidates: [BundleManifest['multiSource'], number][] = [];
  if (xMultiVal && chosen !== 'ngram') candidates.push(['cross-attention', meanBce(xMultiVal, valM, M)]);
  if (ngramMulti && chosen !== 'cross-attention') candidates.push(['ngram', meanBce(ngramMulti, valM, M)]);
  if (xMultiVal && ngramMulti && chosen === 'ensemble') candidates.push(['average', meanBce(xMultiVal.map((r, i) => r.map((p, j) => (p + ngramMulti[i][j]) / 2)), valM, M)]);
  return candidates.sort((a, b) => a[1] - b[1])[0]?.[0] ?? 'cross-attention';
}
