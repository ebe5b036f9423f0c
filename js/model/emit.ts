/**
 * The user table -> lavaan syntax, by the same rules as the Python emitter (which re-parses the
 * text and stays the source of truth): user rows in order, consecutive rows with the same lhs and
 * op on one line joined by " + ", modifiers written before the variable.
 */
import type { TableRow } from "./state";

/** Shortest text of a number that reads back as the same value. */
export function formatNumber(v: number): string {
  return String(v);
}

/** The modifier prefix of a row, e.g. `"1*"`, `"NA*a*"`, `"start(0.5)*"`, `""`. */
export function modifierPrefix(r: TableRow): string {
  const parts: string[] = [];
  if (r.free === 0 && r.ustart !== null) parts.push(formatNumber(r.ustart));
  else if (r.freed === 1) parts.push("NA");
  else if (r.ustart !== null) parts.push(`start(${formatNumber(r.ustart)})`);
  if (r.label !== "") parts.push(r.label);
  if (r.by_group) parts.push(r.by_group);
  return parts.map((p) => `${p}*`).join("");
}

/** The right-hand side term of one row, with its modifiers. */
function term(r: TableRow): string {
  if (r.op === "~1") return `${modifierPrefix(r)}1`;
  return `${modifierPrefix(r)}${r.rhs}`;
}

const GROUPED = new Set(["=~", "~", "~~", "<~"]);

/** Emit lavaan syntax for the user rows of `table`, one statement group per line. */
export function emit(table: TableRow[]): string {
  const lines: string[] = [];
  let prev: TableRow | null = null;
  for (const r of table) {
    if (r.user !== 1) continue;
    if (r.op === ":=" || r.op === "==" || r.op === "<" || r.op === ">") {
      lines.push(`${r.lhs} ${r.op} ${r.rhs}`);
      prev = null;
      continue;
    }
    const op = r.op === "~1" ? "~" : r.op;
    if (
      prev !== null &&
      GROUPED.has(r.op) &&
      prev.op === r.op &&
      prev.lhs === r.lhs
    ) {
      lines[lines.length - 1] += ` + ${term(r)}`;
    } else {
      lines.push(`${r.lhs} ${op} ${term(r)}`);
    }
    prev = r;
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
