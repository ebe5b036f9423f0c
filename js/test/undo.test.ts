import { describe, expect, it } from "vitest";
import { type Snapshot, UndoStack } from "../model/undo";

const snap = (syntax: string): Snapshot => ({ syntax, layout: { a: { x: syntax.length, y: 0 } }, latents: [] });

describe("UndoStack", () => {
  it("undoes and redoes in order", () => {
    const u = new UndoStack();
    u.push(snap("s0"));
    u.push(snap("s1"));
    // current is s2
    expect(u.undo(snap("s2"))?.syntax).toBe("s1");
    expect(u.undo(snap("s1"))?.syntax).toBe("s0");
    expect(u.undo(snap("s0"))).toBeNull();
    expect(u.redo(snap("s0"))?.syntax).toBe("s1");
    expect(u.redo(snap("s1"))?.syntax).toBe("s2");
    expect(u.redo(snap("s2"))).toBeNull();
  });

  it("clears redo on a new edit and skips repeated snapshots", () => {
    const u = new UndoStack();
    u.push(snap("s0"));
    u.undo(snap("s1"));
    expect(u.canRedo).toBe(true);
    u.push(snap("s0"));
    expect(u.canRedo).toBe(false);
    u.push(snap("s0"));
    expect(u.undo(snap("s1"))?.syntax).toBe("s0");
    expect(u.canUndo).toBe(false);
  });

  it("keeps at most `limit` steps", () => {
    const u = new UndoStack<Snapshot>(3);
    for (let i = 0; i < 10; i++) u.push(snap(`s${i}`));
    const seen: string[] = [];
    let cur = snap("now");
    for (let s = u.undo(cur); s; s = u.undo(cur)) {
      seen.push(s.syntax);
      cur = s;
    }
    expect(seen).toEqual(["s9", "s8", "s7"]);
  });
});
