// Writes the Bootstrap Italia stylesheet the site ships: the rules of the full vendored file
// (assets/bootstrap-italia/bootstrap-italia.min.css, 612 KB) whose selectors name a class,
// element or attribute found in the templates or in the site's Rust code, by PurgeCSS. The
// result is committed (assets/bootstrap-italia/bootstrap-italia.purged.min.css) so that a run
// needs no npm; rerun this after adding a class to a template or to src/site:
//
//     make css                                  (or: node tools/purge-css.mjs)
//     node tools/purge-css.mjs --check          (fails when the committed file is stale)
//
// The purged file also names only the fonts the release ships: Bootstrap Italia's serif
// (Lora) and monospace (Roboto Mono) families are loaded by its JavaScript, which the site
// does not use, so text set in them fell back to Georgia or to a serif face. They become
// Titillium Web and the system's monospace.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, "tests/browser/package.json"));
const { PurgeCSS } = require("purgecss");

const source = path.join(repo, "assets/bootstrap-italia/bootstrap-italia.min.css");
const target = path.join(repo, "assets/bootstrap-italia/bootstrap-italia.purged.min.css");

// Classes no template or Rust file spells out whole: none today. A class built from pieces
// (e.g. "dv-level-" ~ level) must be listed here, or the browser test reports it unstyled.
const safelist = [];

const fonts = [
  [/"Lora",\s*Georgia,\s*serif/g, '"Titillium Web", Geneva, Tahoma, sans-serif'],
  [/"Roboto Mono",\s*monospace/g, 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace'],
];

function files(dir, extension) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, extension);
    return entry.name.endsWith(extension) ? [full] : [];
  });
}

const content = [...files(path.join(repo, "templates"), ".html"), ...files(path.join(repo, "src/site"), ".rs")]
  .sort()
  .map((file) => ({ raw: fs.readFileSync(file, "utf8"), extension: path.extname(file).slice(1) }));

const [result] = await new PurgeCSS().purge({
  content,
  css: [{ raw: fs.readFileSync(source, "utf8") }],
  safelist,
  fontFace: true,
  keyframes: true,
  variables: true,
  // Rust files and templates alike: any run of word characters may be a class.
  defaultExtractor: (text) => text.match(/[A-Za-z0-9_-]+/g) ?? [],
});
let css = result.css;
for (const [family, replacement] of fonts) css = css.replace(family, replacement);
css = `/* Bootstrap Italia (BSD-3-Clause, see bootstrap-italia.LICENSE.txt), purged by tools/purge-css.mjs */\n${css.trim()}\n`;

if (process.argv.includes("--check")) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (committed !== css) {
    console.error(`${path.relative(repo, target)} is not what the templates and src/site need now: run \`make css\` and commit it`);
    process.exit(1);
  }
  console.log(`${path.relative(repo, target)} is up to date (${Buffer.byteLength(css)} bytes)`);
} else {
  fs.writeFileSync(target, css);
  console.log(`wrote ${path.relative(repo, target)}: ${Buffer.byteLength(css)} bytes from ${fs.statSync(source).size}`);
}
