/** Number formatting for the diagram and the fit bar. */

const MINUS = "\u2212";

/** `v` with `digits` decimals and a true minus sign; "" for null/NaN. */
export function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "";
  const s = Math.abs(v).toFixed(digits);
  const neg = v < 0 && Number(s) !== 0;
  return neg ? `${MINUS}${s}` : s;
}

/** Like fmt, without the leading zero (APA style for values bounded by 1, e.g. CFI ".95"). */
export function fmtNoZero(v: number | null | undefined, digits = 3): string {
  return fmt(v, digits).replace(/^(\u2212?)0\./, "$1.");
}

/** Significance stars: *** p < .001, ** p < .01, * p < .05. */
export function stars(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "";
  if (p < 0.001) return "***";
  if (p < 0.01) return "**";
  if (p < 0.05) return "*";
  return "";
}

/** A p-value as reported: "< .001" or "= .034". */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "";
  return p < 0.001 ? "< .001" : `= ${fmtNoZero(p, 3)}`;
}
