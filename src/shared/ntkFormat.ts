/**
 * Kernel magnitudes span many orders: six significant digits, exponent notation outside [1e-3, 1e5). Shared by the
 * NTK report (extension) and the hover card (server), so both print a score identically.
 */
export function formatKernelNumber(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '-∞' : 'n/a';
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toPrecision(6);
}
