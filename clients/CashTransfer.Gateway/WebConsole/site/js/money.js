// Money is integer minor units with a currency: formatted with BigInt arithmetic, never through floating point.

const digitsCache = new Map();

/** The currency's minor-unit digits (JOD 3, USD 2, JPY 0), as the browser's Intl data knows them. */
export function minorDigits(currency) {
  if (!digitsCache.has(currency)) {
    let digits = 2;
    try { digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits; } catch { /* unknown code */ }
    digitsCache.set(currency, digits);
  }
  return digitsCache.get(currency);
}

/** "JOD 1,234.500" from 1234500 minor units. */
export function formatMoney(minor, currency) {
  const digits = minorDigits(currency);
  let value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  if (value < 0n) value = -value;
  const unit = 10n ** BigInt(digits);
  const whole = (value / unit).toLocaleString('en');
  const fraction = digits > 0 ? '.' + (value % unit).toString().padStart(digits, '0') : '';
  return `${currency} ${sign}${whole}${fraction}`;
}

/** Major units as a chart axis value: for drawing only, never for sums. */
export function chartValue(minor, currency) {
  return Number(minor) / 10 ** minorDigits(currency);
}

/** Share of a whole in whole percent, from integers. */
export function percent(part, whole) {
  return whole > 0 ? Number((BigInt(part) * 100n) / BigInt(whole)) : 0;
}

/** Share of a whole for display, to 0.01 %: "12.34%", or "< 0.01%" when small but not nothing. */
export function share(part, whole) {
  if (whole <= 0) return '–';
  const basisPoints = (BigInt(part) * 10000n) / BigInt(whole);
  if (basisPoints === 0n && BigInt(part) > 0n) return '< 0.01%';
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}%`;
}
