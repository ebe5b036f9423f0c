// Builds the two bundles into semwidget/static/:
//   widget.js  - the anywidget ES module (browser view), CSS injected by the module itself
//   render.js  - a plain script for headless use (embedded V8): global semwidget* functions
import { build, context } from "esbuild";

const watch = process.argv.includes("--watch");
const common = {
  bundle: true,
  minify: !watch,
  sourcemap: false,
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "info",
  loader: { ".css": "text" },
};
const targets = [
  { ...common, entryPoints: ["js/widget.ts"], format: "esm", outfile: "semwidget/static/widget.js" },
  {
    ...common,
    entryPoints: ["js/render/headless.ts"],
    format: "iife",
    outfile: "semwidget/static/render.js",
    // ELK's GWT code looks for `window`, `global` or `self` as its global object; an embedded
    // V8 has none of them.
    banner: { js: "if (typeof globalThis.global === 'undefined') globalThis.global = globalThis;" },
  },
];

if (watch) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
