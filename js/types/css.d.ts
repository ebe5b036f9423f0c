// esbuild loads .css files as text (see build.mjs); the widget injects it once per document.
declare module "*.css" {
  const text: string;
  export default text;
}
