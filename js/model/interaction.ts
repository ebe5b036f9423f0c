/**
 * Product terms of a PLS model (`CLE ~ INT + GEN + INT:GEN`): the row `CLE ~ INT:GEN` is the
 * interaction's path. It is no node of the diagram: it is drawn as a dot on the path it
 * moderates (`INT -> CLE`, the first factor to the outcome), as SmartPLS draws it, and stays in
 * the table, so the emitted syntax keeps `INT:GEN`.
 */
import type { TableRow } from "./state";

export const PRODUCT = ":";

export interface ProductTerm {
  /** The row's edge key, `"CLE ~ INT:GEN"` (its estimate in `results.edges`). */
  key: string;
  dv: string;
  iv: string;
  moderator: string;
}

/** A name such as `INT:GEN` is a product term, not a variable. */
export function isProductTerm(name: string): boolean {
  return name.includes(PRODUCT);
}

/** The product terms of `table`, in table order. */
export function productTerms(table: Pick<TableRow, "lhs" | "op" | "rhs">[]): ProductTerm[] {
  const out: ProductTerm[] = [];
  for (const r of table) {
    if (r.op !== "~" || !isProductTerm(r.rhs)) continue;
    const at = r.rhs.indexOf(PRODUCT);
    out.push({ key: `${r.lhs} ~ ${r.rhs}`, dv: r.lhs, iv: r.rhs.slice(0, at), moderator: r.rhs.slice(at + 1) });
  }
  return out;
}
