// The W3C Nu HTML Checker (vnu-jar from npm, run by Debian's Java) over the pages of a
// release, in one Java process: every page, or COUNT pages chosen by kind (release.mjs).
// Prints a JSON summary; exits 1 when any page has an error.
//
//     node check_html.mjs RELEASE_DIR [COUNT]

import { spawnSync } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";
import { allPages, samplePages } from "./release.mjs";

const [release, count] = process.argv.slice(2);
const root = path.resolve(release);
const pages = count ? samplePages(root, Number(count)) : allPages(root);
const jar = String(createRequire(import.meta.url)("vnu-jar"));

if (spawnSync("java", ["-version"]).error) {
  console.error("java not found: the HTML check runs the W3C Nu HTML Checker on Java (Debian: apt-get install default-jre-headless; .ci/run installs it)");
  process.exit(2);
}
const run = spawnSync("java", ["-Xss4m", "-jar", jar, "--errors-only", "--format", "json", ...pages], {
  cwd: root, encoding: "utf8", maxBuffer: 1 << 28,
});
if (run.status === null || !run.stderr.trim().startsWith("{")) {
  console.error(`vnu did not run: ${run.error ?? run.stderr}`);
  process.exit(2);
}
const messages = JSON.parse(run.stderr).messages.filter((message) => message.type === "error" || message.subType === "fatal");
const summary = {
  pages: pages.length,
  errors: messages.length,
  pagesWithErrors: new Set(messages.map((message) => message.url)).size,
  messages: messages.slice(0, 40).map((message) => `${path.relative(root, new URL(message.url).pathname)}:${message.lastLine}: ${message.message}`),
};
console.log(JSON.stringify(summary, null, 2));
process.exit(messages.length === 0 ? 0 : 1);
