// Bundles entry.js into ../static/editor.js: one minified ES module, served by ingest, so
// the playground needs no network at run time. `npm ci && node build.mjs` rebuilds it from
// package-lock.json, and writes bundle.sha256: the hash of every input and of the bundle,
// which tests/unit/ingest/test_playground_bundle.py checks (and, marked slow, rebuilds).
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
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

// What the bundle was built from, and the bundle: a changed input without a rebuild, or a
// bundle edited by hand, no longer matches.
const inputs = ["package-lock.json", "entry.js", "build.mjs",
  ...readdirSync(here("./stubs")).sort().map((name) => `stubs/${name}`)];
const digest = (path) => createHash("sha256").update(readFileSync(here(path))).digest("hex");
const lines = [...inputs.map((name) => `${digest(`./${name}`)}  ${name}`),
  `${digest("../static/editor.js")}  ../static/editor.js`];
writeFileSync(here("./bundle.sha256"), `${lines.join("\n")}\n`);
