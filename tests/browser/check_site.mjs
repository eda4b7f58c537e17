// Browser checks of a published release, in Debian's Chromium driven by playwright-core:
// every page has no axe violation of WCAG 2.1 A/AA, requests no other host, names every
// chart, and every link inside the site resolves; pages opened from file:// render their
// charts and their font. Screenshots of the home page and of the focus territory's page are
// saved for a person to look at.
//
//     node check_site.mjs RELEASE_DIR SCREENSHOT_DIR [FOCUS_PAGE]

import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const [release, screenshots, focusPage] = process.argv.slice(2);
const root = path.resolve(release);
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".csv": "text/csv",
  ".json": "application/json", ".woff2": "font/woff2", ".ttl": "text/turtle", ".rdf": "application/rdf+xml",
  ".jsonld": "application/ld+json", ".parquet": "application/vnd.apache.parquet", ".txt": "text/plain",
};

const server = http.createServer((request, response) => {
  const target = path.join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
  if (!target.startsWith(root) || !fs.existsSync(target) || fs.statSync(target).isDirectory()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "Content-Type": types[path.extname(target)] ?? "application/octet-stream" });
  fs.createReadStream(target).pipe(response);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-gpu", "--disable-sync", "--disable-quic"],
});
const context = await browser.newContext();
const failures = [];
const foreign = [];
context.on("request", (request) => {
  const url = new URL(request.url());
  if (!["data:", "about:"].includes(url.protocol) && url.origin !== origin && url.protocol !== "file:") {
    foreign.push(request.url());
  }
});

const queue = ["/index.html"];
const seen = new Set(queue);
const links = new Set();
let pages = 0;
let charts = 0;
while (queue.length > 0) {
  const route = queue.shift();
  const page = await context.newPage();
  const response = await page.goto(origin + route);
  if (!response || response.status() !== 200) {
    failures.push(`${route}: HTTP ${response?.status()}`);
    await page.close();
    continue;
  }
  pages += 1;
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  for (const violation of axe.violations) {
    failures.push(`${route}: axe ${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  }
  const found = await page.evaluate(() => {
    const names = [...document.querySelectorAll("svg[role=img]")].map((svg) => {
      const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
    });
    const headings = document.querySelectorAll("h1").length;
    const hrefs = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"));
    return { names, headings, hrefs };
  });
  charts += found.names.length;
  found.names.forEach((name, index) => {
    if (!name) failures.push(`${route}: chart ${index + 1} has no accessible name`);
  });
  if (found.headings !== 1) failures.push(`${route}: ${found.headings} h1 elements`);
  for (const href of found.hrefs) {
    if (/^(mailto:|https?:|#)/.test(href)) continue;
    if (href.startsWith("data:")) {
      // A chart's downloads are data URLs: they must decode to an SVG or a CSV.
      const body = await (await fetch(href)).text();
      if (!/^(<svg |[^\n]+,[^\n]+\n)/.test(body)) failures.push(`${route}: a download decodes to ${body.slice(0, 40)}`);
      continue;
    }
    const resolved = new URL(href, origin + route);
    const local = resolved.pathname;
    links.add(local);
    if (local.endsWith(".html") && !seen.has(local)) {
      seen.add(local);
      queue.push(local);
    }
  }
  await page.close();
}

let resolved = 0;
for (const link of links) {
  const response = await fetch(origin + link);
  if (response.status !== 200) failures.push(`link ${link}: HTTP ${response.status}`);
  else resolved += 1;
  await response.arrayBuffer();
}
for (const url of foreign) failures.push(`request to another host: ${url}`);

// From disk: charts drawn, font loaded.
const fromDisk = [];
for (const file of ["index.html", focusPage].filter(Boolean)) {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(root, file)).href);
  const state = await page.evaluate(async () => {
    await document.fonts.ready;
    const svgs = [...document.querySelectorAll("svg[role=img]")];
    return {
      font: document.fonts.check('16px "Titillium Web"') && [...document.fonts].some((f) => f.family.includes("Titillium") && f.status === "loaded"),
      charts: svgs.length,
      drawn: svgs.filter((svg) => svg.getBoundingClientRect().width > 0).length,
    };
  });
  fromDisk.push({ file, ...state });
  if (!state.font) failures.push(`file://${file}: the Titillium Web font did not load`);
  if (state.drawn !== state.charts) failures.push(`file://${file}: ${state.charts - state.drawn} charts not drawn`);
  await page.close();
}

fs.mkdirSync(screenshots, { recursive: true });
for (const [file, name] of [["/index.html", "home.png"], [focusPage ? `/${focusPage}` : null, "focus.png"]]) {
  if (!file) continue;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(origin + file);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(screenshots, name), fullPage: true });
  await page.close();
}

await browser.close();
server.close();
console.log(JSON.stringify({ pages, charts, links: links.size, resolved, foreign: foreign.length, fromDisk, failures }, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
