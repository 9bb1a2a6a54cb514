/** Fits the post-hoc calibration that src/model/calibration.ts applies (see the method notes there). */
import { sigmoid } from '../model/calibration';

export const MIN_TEMPERATURE = 0.05;
export const MAX_TEMPERATURE = 20;

/** Mean NLL of softmax(logits / T) at the true class. */
export function temperatureNll(logits: ArrayLike<ArrayLike<number>>, truth: ArrayLike<number>, T: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i];
    let m = -Infinity;
    for (let j = 0; j < z.length; j++) m = Math.max(m, z[j]);
    let s = 0;
    for (let j = 0; j < z.length; j++) s += Math.exp((z[j] - m) / T);
    total += Math.log(s) - (z[truth[i]] - m) / T;
  }
  return total / Math.max(1, logits.length);
}

/** Golden-section minimisation of a unimodal f on [a, b]. */
export function goldenSectionMinimize(f: (x: number) => number, a: number, b: number, tol = 1e-6, maxIter = 200): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < maxIter && b - a > tol; it++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

function checkFitInput(n: number, m: number, what: string): void {
  if (n !== m) throw new Error(`${what}: ${n} logit rows but ${m} labels`);
  if (n === 0) throw new Error(`${what}: no validation examples`);
}

/** Temperature T minimising the validation NLL of softmax(logits / T). */
export function fitTemperature(logits: ArrayLike<ArrayLike<number>>, truth: ArrayLike<number>): number {
  checkFitInput(logits.length, truth.length, 'fitTemperature');
  const logT = goldenSectionMinimize(
    (lt) => temperatureNll(logits, truth, Math.exp(lt)),
    Math.log(MIN_TEMPERATURE),
    Math.log(MAX_TEMPERATURE),
  );
  return Math.exp(logT);
}

/** Mean binary cross-entropy of sigmoid(a z + b) over all (example, label) pairs. */
function plattNll(logits: ArrayLike<ArrayLike<number>>, targets: ArrayLike<ArrayLike<number>>, a: number, b: number): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i];
    const y = targets[i];
    for (let j = 0; j < z.length; j++) {
      const u = a * z[j] + b;
      // log(1 + e^u) - y u, stable
      total += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - y[j] * u;
      n++;
    }
  }
  return total / Math.max(1, n);
}

/** One temperature shared by all labels of a sigmoid head: p = sigmoid(z / T). */
export function fitBinaryTemperature(logits: ArrayLike<ArrayLike<number>>, targets: ArrayLike<ArrayLike<number>>): number {
  checkFitInput(logits.length, targets.length, 'fitBinaryTemperature');
  const logT = goldenSectionMinimize(
    (lt) => plattNll(logits, targets, Math.exp(-lt), 0),
    Math.log(MIN_TEMPERATURE),
    Math.log(MAX_TEMPERATURE),
  );
  return Math.exp(logT);
}

export interface PlattParams {
  a: number;
  b: number;
}

/**
 * Platt scaling p = sigmoid(a z + b) shared over all labels of a sigmoid head, fitted by Newton's method
 * with a small ridge on (a, b) for stability; targets are 0/1 per (example, label).
 */
export function fitPlatt(logits: ArrayLike<ArrayLike<number>>, targets: ArrayLike<ArrayLike<number>>, maxIter = 50): PlattParams {
  checkFitInput(logits.length, targets.length, 'fitPlatt');
  let a = 1;
  let b = 0;
  const ridge = 1e-6;
  for (let it = 0; it < maxIter; it++) {
    let ga = 0, gb = 0, haa = ridge, hab = 0, hbb = ridge;
    let n = 0;
    for (let i = 0; i < logits.length; i++) {
      const z = logits[i];
      const y = targets[i];
      for (let j = 0; j < z.length; j++) {
        const p = sigmoid(a * z[j] + b);
        const r = p - y[j];
        const w = p * (1 - p);
        ga += r * z[j];
        gb += r;
        haa += w * z[j] * z[j];
        hab += w * z[j];
        hbb += w;
        n++;
      }
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // backtracking keeps Newton from overshooting on nearly separable data
    const before = plattNll(logits, targets, a, b);
    let step = 1;
    while (step > 1e-4 && plattNll(logits, targets, a - step * da, b - step * db) > before) step /= 2;
    a -= step * da;
    b -= step * db;
    if (Math.abs(step * da) + Math.abs(step * db) < 1e-9 || n === 0) break;
  }
  return { a, b };
}
