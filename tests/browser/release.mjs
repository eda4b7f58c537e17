// What the site checks share: a local HTTP server of a release, and the pages to check (all of
// them, or a sample of a national release chosen evenly and deterministically by kind).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".csv": "text/csv",
  ".json": "application/json", ".woff2": "font/woff2", ".ttl": "text/turtle", ".rdf": "application/rdf+xml",
  ".jsonld": "application/ld+json", ".parquet": "application/vnd.apache.parquet", ".txt": "text/plain",
  ".xml": "application/xml",
};

/** Serves the release folder `root` on 127.0.0.1; resolves to { origin, close }. */
export async function serve(root) {
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
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Every page of the release, as paths relative to it ("sfida/3.html"), sorted. */
export function allPages(root, dir = "") {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return relative === "assets" || relative === "data" ? [] : allPages(root, relative);
      return entry.name.endsWith(".html") ? [relative] : [];
    })
    .sort();
}

/**
 * `count` pages of the release, every kind represented: pages are grouped by folder and by the
 * length of their name (a territory's code says its level: 2 digits a region, 3 a province, 6 a
 * comune), each group gets an equal share (a small group all its pages, the rest shared by the
 * larger ones), and a group's share is spread evenly over its sorted pages.
 */
export function samplePages(root, count) {
  const groups = new Map();
  for (const page of allPages(root)) {
    const key = `${path.dirname(page)}/${path.basename(page, ".html").length}`;
    groups.set(key, [...(groups.get(key) ?? []), page]);
  }
  // Smallest groups first: each takes all its pages while they fit in an equal share of what
  // is left; the larger ones then share the rest, the first of them one more when it does not
  // divide.
  const keys = [...groups.keys()].sort((a, b) => groups.get(a).length - groups.get(b).length || a.localeCompare(b));
  const takes = new Map();
  let left = count;
  for (const [index, key] of keys.entries()) {
    const remaining = keys.length - index;
    const share = Math.floor(left / remaining) + (left % remaining > 0 ? 1 : 0);
    const take = Math.min(groups.get(key).length, share);
    takes.set(key, take);
    left -= take;
  }
  return [...groups.keys()].sort().flatMap((key) => {
    const pages = groups.get(key);
    const take = takes.get(key);
    return Array.from({ length: take }, (_, index) => pages[Math.floor((index * pages.length) / take)]);
  });
}
