// Bundles entry.js into ../static/editor.js: one minified ES module, served by ingest, so
// the playground needs no network at run time. `npm ci && node build.mjs` rebuilds it from
// package-lock.json; tests/unit/ingest/test_playground_bundle.py checks the two agree.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// codemirror-json-schema's markdown renderer and its JSON5/YAML parsers are replaced by
// small stubs: they would be nine tenths of the bundle for features JSON editing never uses.
const slim = {
  name: "slim",
  setup(b) {
    b.onResolve({ filter: /\/utils\/markdown$/ }, () => ({ path: here("./stubs/markdown.js") }));
    b.onResolve({ filter: /\/(json5|yaml)-parser$/ }, () => ({ path: here("./stubs/other-modes.js") }));
  },
};

await build({
  entryPoints: [here("./entry.js")],
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  legalComments: "eof",
  outfile: here("../static/editor.js"),
  plugins: [slim],
  logLevel: "warning",
});
