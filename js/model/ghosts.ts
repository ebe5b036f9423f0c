/**
 * Modification-index suggestions ("ghosts"): reading them from `results.ghosts`, their label and
 * accessible name, and the sentence that reports what adding one changed (`results.change`).
 * Pure; the scene draws ghosts with the same geometry as real edges (layout/scene.ts).
 */
import { fmt, fmtNoZero } from "./format";
import type { FitChange, GhostSuggestion, Results } from "./state";

const GHOST_OPS: ReadonlySet<string> = new Set(["=~", "~", "~~"]);

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function name(v: unknown): string {
  return typeof v === "string" ? v.trim() : "";
}

/** The well-formed suggestions of `results.ghosts`, in the kernel's order (largest MI first). */
export function readGhosts(results: Results | null): GhostSuggestion[] {
  const raw = results?.ghosts;
  if (!Array.isArray(raw)) return [];
  const out: GhostSuggestion[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    const g = (item ?? {}) as Record<string, unknown>;
    const lhs = name(g.lhs);
    const op = name(g.op);
    const rhs = name(g.rhs);
    const mi = num(g.mi);
    if (!lhs || !rhs || !GHOST_OPS.has(op) || mi === null) continue;
    const edge = `${lhs} ${op} ${rhs}`;
    if (seen.has(edge)) continue;
    seen.add(edge);
    out.push({ edge, lhs, op: op as GhostSuggestion["op"], rhs, mi, epc: num(g.epc), sepc_all: num(g.sepc_all) });
  }
  return out;
}

/** The text drawn on a ghost edge, e.g. "MI 36.4". */
export function ghostLabel(g: GhostSuggestion): string {
  return `MI ${fmt(g.mi, 1)}`;
}

/** Accessible name (and tooltip) of a ghost edge. */
export function ghostDescription(g: GhostSuggestion): string {
  const parts = [`modification index ${fmt(g.mi, 1)}`];
  if (g.epc !== null) parts.push(`expected change ${fmt(g.epc, 2)}`);
  if (g.sepc_all !== null) parts.push(`standardized ${fmt(g.sepc_all, 2)}`);
  return `Add ${g.edge} to the model (${parts.join(", ")})`;
}

/** `results.change` when it names an edge; numbers that are missing become null. */
export function readChange(results: Results | null): FitChange | null {
  const c = results?.change;
  if (!c || typeof c !== "object") return null;
  const r = c as Record<string, unknown>;
  const edge = name(r.edge);
  if (!edge) return null;
  return {
    edge,
    chisq_before: num(r.chisq_before),
    chisq_after: num(r.chisq_after),
    delta_chisq: num(r.delta_chisq),
    cfi_before: num(r.cfi_before),
    cfi_after: num(r.cfi_after),
    delta_cfi: num(r.delta_cfi),
  };
}

function signed(v: number, digits: number): string {
  const s = fmt(v, digits);
  return v > 0 && Number(Math.abs(v).toFixed(digits)) !== 0 ? `+${s}` : s;
}

function beforeAfter(before: number | null, after: number | null, show: (v: number) => string): string {
  if (after === null) return "";
  return before === null ? show(after) : `${show(before)} \u2192 ${show(after)}`;
}

/**
 * One sentence for the fit bar, e.g.
 * "Added x7 ~~ x8: χ² 85.31 → 52.38 (Δ −32.93), CFI .931 → .958".
 */
export function changeNote(c: FitChange): string {
  const parts: string[] = [];
  const chi = beforeAfter(c.chisq_before, c.chisq_after, (v) => fmt(v, 2));
  if (chi) {
    const delta = c.delta_chisq !== null ? ` (\u0394 ${signed(c.delta_chisq, 2)})` : "";
    parts.push(`\u03c7\u00b2 ${chi}${delta}`);
  }
  const cfi = beforeAfter(c.cfi_before, c.cfi_after, (v) => fmtNoZero(v, 3));
  if (cfi) parts.push(`CFI ${cfi}`);
  return parts.length ? `Added ${c.edge}: ${parts.join(", ")}` : `Added ${c.edge}`;
}
