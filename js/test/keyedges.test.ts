import { describe, expect, it } from "vitest";
import { cycle, nearestInDirection } from "../ui/keyedges";

// A 3 x 2 grid:  a b c / d e f
const NODES = [
  { name: "a", x: 0, y: 0 }, { name: "b", x: 100, y: 0 }, { name: "c", x: 200, y: 0 },
  { name: "d", x: 0, y: 100 }, { name: "e", x: 100, y: 100 }, { name: "f", x: 200, y: 100 },
];

describe("choosing the target of an edge drawn from the keyboard", () => {
  it("takes the nearest node in the arrow's direction", () => {
    const none = new Set<string>();
    expect(nearestInDirection(NODES, { x: 0, y: 0 }, { x: 1, y: 0 }, none)).toBe("b");
    expect(nearestInDirection(NODES, { x: 0, y: 0 }, { x: 0, y: 1 }, none)).toBe("d");
    expect(nearestInDirection(NODES, { x: 100, y: 100 }, { x: 0, y: -1 }, none)).toBe("b");
    expect(nearestInDirection(NODES, { x: 200, y: 100 }, { x: -1, y: 0 }, none)).toBe("e");
  });

  it("finds nothing beyond the edge of the diagram and skips the source", () => {
    expect(nearestInDirection(NODES, { x: 0, y: 0 }, { x: -1, y: 0 }, new Set())).toBeNull();
    expect(nearestInDirection(NODES, { x: 0, y: 0 }, { x: 1, y: 0 }, new Set(["b"]))).toBe("c");
  });

  it("prefers a node straight ahead to a nearer one far to the side", () => {
    const nodes = [{ name: "ahead", x: 150, y: 0 }, { name: "side", x: 60, y: 80 }];
    expect(nearestInDirection(nodes, { x: 0, y: 0 }, { x: 1, y: 0 }, new Set())).toBe("ahead");
  });

  it("cycles with Tab / Shift+Tab, starting after the source, never at it", () => {
    const order = NODES.map((n) => n.name);
    const skip = new Set(["b"]);
    expect(cycle(order, null, 1, skip)).toBe("c");
    expect(cycle(order, "c", 1, skip)).toBe("d");
    expect(cycle(order, "f", 1, skip)).toBe("a");
    expect(cycle(order, "a", -1, skip)).toBe("f");
    expect(cycle(order, "c", -1, skip)).toBe("a");
    expect(cycle(["b"], null, 1, skip)).toBeNull();
  });
});
