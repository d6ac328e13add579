// Bytes a browser loads for its first offline search, ours against Pagefind's, in Debian's chromium.
//
//   node bench/static-search.mjs EXPORT_DIR QUERIES_FILE [PAGEFIND_DIR] [N]
//
// Serves EXPORT_DIR (and PAGEFIND_DIR under /pagefind/) on 127.0.0.1, then for each of the first N queries (default
// 30) opens a fresh browser context (empty cache) and runs one search: ours by loading search/index.html?q=…, which
// shows the 20 best results; Pagefind's with its JS API, loading the data of its first 20 results. Counted: every
// response the search causes (script, wasm, index files), as served and gzipped (what a host that compresses sends).
// Prints one tab-separated line per engine: name, queries, median and max bytes, median and max gzipped bytes.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';

const [exportDir, queriesFile, pagefindDir, nArg] = process.argv.slice(2);
if (!exportDir || !queriesFile) {
  console.error('usage: node bench/static-search.mjs EXPORT_DIR QUERIES_FILE [PAGEFIND_DIR] [N]');
  process.exit(2);
}
const require = createRequire(path.join(path.dirname(new URL(import.meta.url).pathname), '../tests/browser/package.json'));
const { chromium } = require('playwright-core');
const N = Number(nArg ?? 30);
const queries = readFileSync(queriesFile, 'utf8').split('\n').map((q) => q.trim()).filter(Boolean).slice(0, N);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json',
  '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
// A page of our own origin for Pagefind's API (its script is an ES module).
const PAGEFIND_PAGE = '<!doctype html><meta charset="utf-8"><title>pf</title>';
let counting = null;
function handler(req, res) {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (rel === '/pagefind-bench.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGEFIND_PAGE);
  const [root, inRoot] = pagefindDir && rel.startsWith('/pagefind/') ? [pagefindDir, rel.slice('/pagefind'.length)] : [exportDir, rel];
  let file = path.join(root, inRoot);
  if (!file.startsWith(path.resolve(root))) return res.writeHead(403).end();
  try {
    if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const body = readFileSync(file);
    // What the search loads; the page itself and its stylesheet are the same for any engine.
    if (counting && !file.endsWith('.html') && !file.endsWith('.css')) {
      counting.bytes += body.length;
      counting.gz += gzipSync(body).length;
      counting.files += 1;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
}
const server = createServer(handler);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });

async function measure(name, run) {
  const rows = [];
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    counting = { bytes: 0, gz: 0, files: 0 };
    const found = await run(page, q);
    rows.push({ ...counting, found });
    counting = null;
    await context.close();
  }
  const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
  const max = (k) => Math.max(...rows.map((r) => r[k]));
  console.log([name, rows.length, med('bytes'), max('bytes'), med('gz'), max('gz'), med('files'),
    rows.filter((r) => r.found > 0).length].join('\t'));
}

await measure('zeroopposite', async (page, q) => {
  await page.goto(`${base}/search/index.html?q=${encodeURIComponent(q)}`);
  await page.locator('#static-search [role=status]').waitFor({ timeout: 30_000 });
  return page.locator('#static-search ol a').count();
});

if (pagefindDir) {
  await measure('pagefind', async (page, q) => {
    await page.goto(`${base}/pagefind-bench.html`);
    return page.evaluate(async (query) => {
      const pagefind = await import('/pagefind/pagefind.js');
      const search = await pagefind.search(query);
      const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
      return data.length;
    }, q);
  });
}

await browser.close();
server.close();
