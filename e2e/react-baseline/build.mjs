// Builds the baseline for cargo xtask bench: `node build.mjs <out-dir>` writes index.html and a
// production, minified app.js (esbuild, React's production build) into <out-dir>.

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

import { build } from "esbuild";

const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs <out-dir>");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/main.jsx"],
  outfile: join(out, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync("index.html", join(out, "index.html"));
