/** PCA of the papers' vectors for a smaller index: the top-k eigenvectors of their covariance (ml-matrix EVD). */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { PcaSpec } from '../model/neighbours/paperVector';

/**
 * @param rows n x d row-major vectors
 * @param k components kept
 * @param maxRows covariance from at most this many rows (evenly strided: deterministic)
 */
export function fitPca(rows: Float32Array, n: number, d: number, k: number, maxRows = 30000): PcaSpec {
  if (k > d) throw new RangeError(`cannot keep ${k} of ${d} dimensions`);
  const stride = Math.max(1, Math.floor(n / maxRows));
  const mean = new Float64Array(d);
  let m = 0;
  for (let i = 0; i < n; i += stride, m++) for (let t = 0; t < d; t++) mean[t] += rows[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= m;
  const cov = Matrix.zeros(d, d);
  const x = new Float64Array(d);
  for (let i = 0; i < n; i += stride) {
    for (let t = 0; t < d; t++) x[t] = rows[i * d + t] - mean[t];
    for (let a = 0; a < d; a++) {
      const xa = x[a];
      if (xa === 0) continue;
      for (let b = a; b < d; b++) cov.set(a, b, cov.get(a, b) + xa * x[b]);
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    const v = cov.get(a, b) / Math.max(1, m - 1);
    cov.set(a, b, v);
    cov.set(b, a, v);
  }
  const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]).slice(0, k);
  const V = evd.eigenvectorMatrix;
  return { mean: Array.from(mean), components: order.map(([, i]) => V.getColumn(i)) };
}
