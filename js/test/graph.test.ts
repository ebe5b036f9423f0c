import { describe, expect, it } from "vitest";
import {
  GraphError,
  type Model,
  addEdge,
  addLatent,
  addObserved,
  deleteEdge,
  deleteNode,
  edgeFor,
  emptyModel,
  nameProblem,
  nodesOf,
  renameNode,
  setMeasurement,
  setModifier,
} from "../model/graph";
import { emit } from "../model/emit";
import { HS_CFA, PLS_SEED, POLDEM, rows } from "./fixtures";

const hs = (): Model => ({ table: rows(HS_CFA), latents: [], extras: [] });

describe("edge kind rules", () => {
  const m: Model = { table: rows("f =~ x1\ng <~ z1"), latents: ["h"], extras: ["x9"] };
  it("latent -> observed is a loading", () => {
    expect(edgeFor(m, "f", "x9", "path")).toEqual({ lhs: "f", op: "=~", rhs: "x9" });
  });
  it("observed -> latent is a regression unless the latent is a composite", () => {
    expect(edgeFor(m, "x9", "f", "path")).toEqual({ lhs: "f", op: "~", rhs: "x9" });
    expect(edgeFor(m, "x9", "g", "path")).toEqual({ lhs: "g", op: "<~", rhs: "x9" });
    expect(edgeFor(m, "x9", "h", "path", true)).toEqual({ lhs: "h", op: "<~", rhs: "x9" });
  });
  it("latent -> latent and observed -> observed are regressions", () => {
    expect(edgeFor(m, "f", "h", "path")).toEqual({ lhs: "h", op: "~", rhs: "f" });
    expect(edgeFor(m, "x1", "x9", "path")).toEqual({ lhs: "x9", op: "~", rhs: "x1" });
  });
  it("covariance mode always makes ~~", () => {
    expect(edgeFor(m, "f", "x9", "covariance")).toEqual({ lhs: "f", op: "~~", rhs: "x9" });
  });
  it("composite indicators only with the PLS engine", () => {
    const sem = addEdge(m, "x9", "h", "path", "sem", true);
    expect(sem.table.at(-1)).toMatchObject({ lhs: "h", op: "~", rhs: "x9" });
    const pls = addEdge(m, "x9", "h", "path", "pls", true);
    expect(pls.table.some((r) => r.lhs === "h" && r.op === "<~" && r.rhs === "x9")).toBe(true);
  });
});

describe("graph edits", () => {
  it("builds a CFA by edits and emits its syntax", () => {
    let m = emptyModel();
    m = addLatent(m, "visual");
    for (const x of ["x1", "x2", "x3"]) {
      m = addObserved(m, x);
      m = addEdge(m, "visual", x, "path");
    }
    m = addLatent(m, "speed");
    m = addObserved(m, "x7");
    m = addEdge(m, "speed", "x7", "path");
    m = addEdge(m, "visual", "speed", "path");
    expect(emit(m.table)).toBe("visual =~ x1 + x2 + x3\nspeed =~ x7\nspeed ~ visual\n");
    expect(m.extras).toEqual([]);
    expect(nodesOf(m).map((n) => `${n.name}:${n.kind}`)).toEqual([
      "visual:latent", "x1:observed", "x2:observed", "x3:observed", "speed:latent", "x7:observed",
    ]);
  });

  it("inserts a new loading next to its group", () => {
    const m = addEdge({ ...hs(), extras: ["x10"] }, "visual", "x10", "path");
    expect(emit(m.table).split("\n")[0]).toBe("visual =~ x1 + x2 + x3 + x10");
  });

  it("never mutates its input", () => {
    const m = hs();
    const copy = JSON.parse(JSON.stringify(m));
    addEdge(m, "visual", "x4", "path");
    deleteNode(m, "visual");
    renameNode(m, "visual", "vis");
    setModifier(m, "visual =~ x2", { kind: "fix", value: 1 });
    expect(m).toEqual(copy);
  });

  it("ignores duplicates, refuses self paths and reversed loadings", () => {
    const m = hs();
    expect(addEdge(m, "visual", "x1", "path")).toBe(m);
    const c = addEdge(m, "x1", "x2", "covariance");
    expect(addEdge(c, "x2", "x1", "covariance")).toBe(c);
    expect(() => addEdge(m, "x1", "x1", "path")).toThrow(GraphError);
    expect(() => addEdge(m, "visual", "nope", "path")).toThrow(/no node named "nope"/);
  });

  it("deletes a node with its edges, and single edges", () => {
    const m = { table: rows(POLDEM), latents: [], extras: [] };
    const d = deleteNode(m, "y5");
    expect(d.table.some((r) => r.lhs === "y5" || r.rhs === "y5")).toBe(false);
    expect(d.table).toHaveLength(m.table.length - 2); // dem65 =~ y5 and y1 ~~ y5
    const e = deleteEdge(m, "y5 ~~ y1"); // either order
    expect(e.table.some((r) => r.op === "~~" && r.lhs === "y1")).toBe(false);
    expect(() => deleteEdge(m, "a ~ b")).toThrow(GraphError);
  });

  it("validates names on add and rename", () => {
    expect(nameProblem("x1")).toBe("");
    expect(nameProblem("my.var_2")).toBe("");
    expect(nameProblem("1x")).toMatch(/starts with a digit/);
    expect(nameProblem("a b")).toMatch(/not a valid name/);
    expect(nameProblem("<script>")).toMatch(/not a valid name/);
    expect(nameProblem("")).toMatch(/empty/);
    expect(() => addLatent(hs(), "x1")).toThrow(/already a node named "x1"/);
    expect(() => renameNode(hs(), "visual", "textual")).toThrow(/already/);
    expect(() => renameNode(hs(), "visual", "9lives")).toThrow(/digit/);
    expect(() => renameNode(hs(), "visual", "age", ["age"])).toThrow(/column of the data/);
  });

  it("renames everywhere", () => {
    const m = renameNode({ table: rows(POLDEM), latents: ["dem60"], extras: [] }, "dem60", "democracy60");
    const text = emit(m.table);
    expect(text).not.toMatch(/\bdem60\b/);
    expect(text).toContain("democracy60 =~ y1 + y2 + y3 + y4");
    expect(text).toContain("dem65 ~ ind60 + democracy60");
    expect(m.latents).toEqual(["democracy60"]);
  });

  it("sets modifiers", () => {
    let m = setModifier(hs(), "visual =~ x1", { kind: "free" });
    m = setModifier(m, "visual =~ x2", { kind: "label", label: "a" });
    m = setModifier(m, "textual =~ x5", { kind: "fix", value: 0.5 });
    m = setModifier(m, "speed =~ x8", { kind: "start", value: 2 });
    expect(emit(m.table)).toBe(
      "visual =~ NA*x1 + a*x2 + x3\ntextual =~ x4 + 0.5*x5 + x6\nspeed =~ x7 + start(2)*x8 + x9\n",
    );
    const back = setModifier(m, "textual =~ x5", { kind: "default" });
    expect(emit(back.table)).toContain("textual =~ x4 + x5 + x6");
    expect(() => setModifier(m, "visual =~ x2", { kind: "label", label: "2a" })).toThrow(GraphError);
    expect(() => setModifier(m, "visual =~ x2", { kind: "fix", value: Number.NaN })).toThrow(GraphError);
  });

  it("switches a PLS construct between Mode A and Mode B", () => {
    const m = { table: rows(PLS_SEED), latents: [], extras: [] };
    const b = setMeasurement(m, "PSN", "composite");
    expect(emit(b.table)).toContain("PSN <~ PSN01 + PSN02 + PSN03 + PSN04 + PSN05");
    expect(nodesOf(b).find((n) => n.name === "PSN")?.kind).toBe("composite");
    expect(emit(setMeasurement(b, "PSN", "reflective").table)).toBe(emit(m.table));
  });
});

describe("rows that belong to one variable", () => {
  it("follow a renamed node and go with a deleted one", async () => {
    const { renameNode, deleteNode } = await import("../model/graph");
    const row = (id: number, lhs: string, op: string, rhs: string) =>
      ({ id, lhs, op, rhs, user: 1, free: id, ustart: null, label: "", freed: 0 }) as never;
    const m = {
      table: [row(1, "f", "=~", "x1"), row(2, "f", "=~", "x2"), row(3, "x1", "|", "t1"),
        row(4, "x1", "~*~", "x1")],
      latents: ["f"], extras: [],
    };
    const renamed = renameNode(m, "x1", "item1");
    expect(renamed.table.map((r) => `${r.lhs} ${r.op} ${r.rhs}`)).toEqual(
      ["f =~ item1", "f =~ x2", "item1 | t1", "item1 ~*~ item1"]);
    const deleted = deleteNode(m, "x1");
    expect(deleted.table.map((r) => `${r.lhs} ${r.op} ${r.rhs}`)).toEqual(["f =~ x2"]);
  });
});
