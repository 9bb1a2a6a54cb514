/** Probability formatting shared by the server (hovers, diagnostics) and the extension (sidebar, status bar). */

/**
 * 0.8712 -> "87%", 0.004 -> "0.4%", 0.0002 -> "<0.1%", 0.9993 -> "99.9%", 0.99996 -> ">99.9%".
 * Never prints "100%" or "0%": a classifier's probability of exactly 1 or 0 is float rounding, not certainty.
 */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  const pct = p * 100;
  if (pct >= 99.95) return '>99.9%';
  if (pct < 0.05) return '<0.1%';
  if (pct < 1 || pct >= 99.5) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/**
 * A probability known to be below `limit`, printed so that it also reads as below it: 0.2996 with a 30 %
 * limit is "29.96%", not the "30%" plain rounding would claim next to "none reaches 30%".
 */
export function formatPercentBelow(p: number, limit: number): string {
  const text = formatPercent(p);
  if (!(p < limit) || parseFloat(text.replace(/[<>%]/g, '')) < limit * 100) return text;
  for (const digits of [1, 2, 3]) {
    const t = (p * 100).toFixed(digits);
    if (parseFloat(t) < limit * 100) return `${t}%`;
  }
  return `<${formatPercent(limit)}`;
}
