/**
 * A number as a training log shows it: scientific notation below 0.01 and from 100,000 on (`3.0e-4`,
 * `1.2e+5`), 4 decimals otherwise (`0.5123`), whole numbers as they are (`64`).
 * A learning rate of 0.0003 prints as `3.0e-4`, never as `0.0000`.
 */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 0.01 || magnitude >= 1e5) return value.toExponential(1);
  if (Number.isInteger(value)) return String(value);
  if (magnitude >= 100) return value.toFixed(1);
  return value.toFixed(digits);
}
