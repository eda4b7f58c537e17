// Browser checks of a published release, in Debian's Chromium driven by playwright-core:
// every page has no axe violation of WCAG 2.1 A/AA, requests no other host and nothing twice,
// logs no console error or warning, names every chart, gives every map a data table, uses
// only classes the shipped CSS styles (or hooks listed below), and every link inside the site
// resolves; the shipped CSS names only the fonts the release ships; pages opened from file://
// render their charts and their font. Screenshots are saved for a person to look at.
//
//     node check_site.mjs RELEASE_DIR SCREENSHOT_DIR [--sample COUNT] [NAME.png=PAGE ...]
//
// Without --sample every page reachable from the home page is checked; with it, COUNT pages
// chosen by kind (release.mjs), as for a national release. PAGE "@project" is the first
// project page linked from progetti.html (progetti.html itself when there is none).

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { samplePages, serve } from "./release.mjs";

// Classes that only mark an element for the structure or for a test, with no style of their
// own: listed here so that any other class without a rule in the shipped CSS fails, as it
// does when a template gains a Bootstrap Italia class and tools/purge-css.mjs was not rerun.
const HOOKS = new Set([
  "dv-changes", // the list of changes on novita.html
  "dv-explanation", // «Come è calcolato» under an indicator
  "dv-list", // a plain list of links
  "dv-map", // a map figure (also .dv-chart): the check below finds it by this class
]);
// The font families the shipped CSS may name besides those of its @font-face rules: the
// system fallbacks and generic families.
const SYSTEM_FONTS = new Set(["geneva", "tahoma", "arial", "helvetica", "sans-serif", "serif", "monospace",
  "ui-monospace", "dejavu sans mono", "menlo", "consolas", "inherit", "initial", "system-ui"]);

const args = process.argv.slice(2);
const [release, screenshots] = args;
const sampleAt = args.indexOf("--sample");
const sample = sampleAt > 0 ? Number(args[sampleAt + 1]) : 0;
const shots = args.filter((arg) => /^[\w.-]+\.png=/.test(arg)).map((arg) => arg.split("="));
const root = path.resolve(release);
const started = Date.now();
const { origin, close } = await serve(root);

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
// Two pages (tabs), each reused from visit to visit: axe takes seconds on a page of a
// thousand links, and two cores check two pages at once. What a tab requests and logs is
// reset before each visit.
const TABS = 2;
async function openTab() {
  const tab = { page: await context.newPage(), requested: [], logged: [] };
  tab.page.on("request", (request) => tab.requested.push(request.url()));
  tab.page.on("console", (message) => {
    if (["error", "warning"].includes(message.type())) {
      tab.logged.push({ text: `${message.type()}: ${message.text()}`, about: `${message.location().url} ${message.text()}` });
    }
  });
  tab.page.on("pageerror", (error) => tab.logged.push({ text: `error: ${error.message}`, about: "" }));
  return tab;
}

async function visit(tab, url) {
  tab.requested = [];
  tab.logged = [];
  const response = await tab.page.goto(url);
  await tab.page.evaluate(() => document.fonts.ready);
  return response;
}

// From file:// Chromium refuses the fonts' preloads (a preload of a font is a CORS request,
// and the file scheme has no CORS) and logs it; the fonts then load from their @font-face
// rules, with no error shown to the reader. Over HTTP, where the site is published, the
// preloads must work: no message, one request per font.
const fromFile = (route) => route.startsWith("file://");
const fontPreload = (text) => /\.woff2\b/.test(text);

function reportRequestsAndConsole(tab, route) {
  const counts = new Map();
  for (const url of tab.requested) counts.set(url, (counts.get(url) ?? 0) + 1);
  for (const [url, times] of counts) {
    if (fromFile(route) && fontPreload(url)) continue;
    if (times > 1 && !url.startsWith("data:")) failures.push(`${route}: ${url} requested ${times} times`);
  }
  for (const line of tab.logged) {
    if (!(fromFile(route) && fontPreload(line.about))) failures.push(`${route}: console ${line.text}`);
  }
}

// The class names the shipped stylesheets style (the same on every page); a font they name
// that the release does not ship is a failure.
async function styledClasses(tab) {
  const sheets = await tab.page.evaluate(() => {
    const classes = new Set();
    const families = new Set();
    const faces = new Set();
    const unquote = (family) => family.trim().replace(/^["']|["']$/g, "").toLowerCase();
    const walk = (rules) => {
      for (const rule of rules) {
        if (rule.cssRules) walk(rule.cssRules);
        if (rule instanceof CSSFontFaceRule) faces.add(unquote(rule.style.getPropertyValue("font-family")));
        if (rule.selectorText) {
          for (const match of rule.selectorText.matchAll(/\.((?:\\.|[\w-])+)/g)) classes.add(match[1].replace(/\\/g, ""));
        }
        const style = rule.style;
        if (!style) continue;
        const values = [style.getPropertyValue("font-family")];
        for (const name of style) if (/^--.*font-(family|sans-serif|serif|monospace)$/.test(name)) values.push(style.getPropertyValue(name));
        for (const value of values) {
          for (const family of value.split(",")) if (family.trim() && !family.includes("var(")) families.add(unquote(family));
        }
      }
    };
    for (const sheet of document.styleSheets) walk(sheet.cssRules);
    return { classes: [...classes], families: [...families], faces: [...faces] };
  });
  const faces = new Set(sheets.faces);
  for (const family of sheets.families) {
    if (!faces.has(family) && !SYSTEM_FONTS.has(family)) failures.push(`the shipped CSS names the font "${family}", which the release does not ship`);
  }
  return new Set(sheets.classes);
}

async function checkPage(tab, route, styled) {
  const page = tab.page;
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  for (const violation of axe.violations) {
    failures.push(`${route}: axe ${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  }
  const found = await page.evaluate(() => {
    const names = [...document.querySelectorAll("svg[role=img]")].map((svg) => {
      const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
      const labelled = ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
      return labelled || (svg.getAttribute("aria-label") ?? "").trim();
    });
    const maps = [...document.querySelectorAll("figure.dv-map")].map((figure) => ({
      drawn: figure.querySelector("svg[role=img]") !== null,
      table: figure.querySelector("table") !== null,
    }));
    const classes = new Set();
    for (const element of document.querySelectorAll("[class]")) for (const name of element.classList) classes.add(name);
    const headings = document.querySelectorAll("h1").length;
    const hrefs = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"));
    return { names, maps, classes: [...classes], headings, hrefs };
  });
  found.names.forEach((name, index) => {
    if (!name) failures.push(`${route}: chart ${index + 1} has no accessible name`);
  });
  found.maps.forEach((map, index) => {
    if (!map.drawn) failures.push(`${route}: map ${index + 1} has no svg[role=img]`);
    if (!map.table) failures.push(`${route}: map ${index + 1} has no data table`);
  });
  for (const name of found.classes) {
    if (!styled.has(name) && !HOOKS.has(name)) failures.push(`${route}: class "${name}" has no rule in the shipped CSS (rerun \`make css\`, or list it in HOOKS)`);
  }
  if (found.headings !== 1) failures.push(`${route}: ${found.headings} h1 elements`);
  reportRequestsAndConsole(tab, route);
  return found;
}

const queue = sample > 0 ? samplePages(root, sample).map((file) => `/${file}`) : ["/index.html"];
const seen = new Set(queue);
const links = new Set();
let pages = 0;
let charts = 0;
let maps = 0;
let styled = null;
let busy = 0;
async function checkPages(tab) {
  for (;;) {
    if (queue.length === 0) {
      // While another tab is on a page, it may still find more.
      if (busy === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    busy += 1;
    await checkRoute(tab, queue.shift());
    busy -= 1;
  }
}

async function checkRoute(tab, route) {
  const response = await visit(tab, origin + route);
  if (!response || response.status() !== 200) {
    failures.push(`${route}: HTTP ${response?.status()}`);
    return;
  }
  pages += 1;
  styled ??= styledClasses(tab);
  const found = await checkPage(tab, route, await styled);
  charts += found.names.length;
  maps += found.maps.length;
  for (const href of found.hrefs) {
    if (/^(mailto:|https?:|#)/.test(href)) continue;
    if (href.startsWith("data:")) {
      // A chart's downloads are data URLs: they must decode to an SVG or a CSV.
      const body = await (await fetch(href)).text();
      if (!/^(<svg |[^\n]+,[^\n]+\n)/.test(body)) failures.push(`${route}: a download decodes to ${body.slice(0, 40)}`);
      continue;
    }
    const local = new URL(href, origin + route).pathname;
    links.add(local);
    if (sample === 0 && local.endsWith(".html") && !seen.has(local)) {
      seen.add(local);
      queue.push(local);
    }
  }
}

const tabs = await Promise.all(Array.from({ length: TABS }, openTab));
await Promise.all(tabs.map(checkPages));
const [tab] = tabs;

let resolved = 0;
for (const link of links) {
  const response = await fetch(origin + link, { method: "HEAD" });
  if (response.status !== 200) failures.push(`link ${link}: HTTP ${response.status}`);
  else resolved += 1;
}
for (const url of foreign) failures.push(`request to another host: ${url}`);
const checkedIn = (Date.now() - started) / 1000;

// The first project page the projects page links to, or the projects page.
async function projectPage() {
  const file = path.join(root, "progetti.html");
  if (!fs.existsSync(file)) return null;
  const link = fs.readFileSync(file, "utf8").match(/href="(progetto\/[^"#]+\.html)"/);
  return link ? link[1] : "progetti.html";
}
const resolvedShots = [];
for (const [name, wanted] of shots) {
  const file = wanted === "@project" ? await projectPage() : wanted;
  if (file && fs.existsSync(path.join(root, file))) resolvedShots.push([name, file]);
  else failures.push(`screenshot ${name}: ${wanted} is not in the release`);
}

// From disk: charts drawn, font loaded, nothing logged (the font preloads work from file://).
const fromDisk = [];
for (const file of ["index.html", ...resolvedShots.map(([, file]) => file)].filter((f, i, all) => all.indexOf(f) === i).slice(0, 3)) {
  await visit(tab, pathToFileURL(path.join(root, file)).href);
  const state = await tab.page.evaluate(() => {
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
  reportRequestsAndConsole(tab, `file://${file}`);
}

fs.mkdirSync(screenshots, { recursive: true });
await tab.page.setViewportSize({ width: 1280, height: 900 });
for (const [name, file] of resolvedShots) {
  await visit(tab, `${origin}/${file}`);
  await tab.page.screenshot({ path: path.join(screenshots, name), fullPage: true });
}

await browser.close();
close();
console.log(JSON.stringify({
  pages, charts, maps, links: links.size, resolved, foreign: foreign.length, seconds: Math.round(checkedIn),
  screenshots: Object.fromEntries(resolvedShots), fromDisk, failures,
}, null, 2));
process.exit(failures.length === 0 ? 0 : 1);
