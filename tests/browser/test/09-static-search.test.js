// The static export's offline search in a real browser: a generated site of 600 articles is imported into a data
// dir of its own, exported with `export --static`, and served as plain files. A query must list articles whose
// links open, and load only a few of the index's files: its words' shards and the chunks of the articles shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, guardedContext, assertClean } from '../lib/browser.js';
import { ROOT, server, CONFIG_TEXT } from '../lib/server.js';

const ARTICLES = 600;
const srv = await server();
const work = mkdtempSync(path.join(tmpdir(), 'zo-static-search-'));
const site = path.join(work, 'site');
const out = path.join(work, 'export');
let browser;
let files;
const fetched = [];

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

function walk(dir, acc = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, acc);
    else acc.push(p);
  }
  return acc;
}

before(async () => {
  run('python3', [path.join(ROOT, 'bench/corpus/gen_corpus.py'), '-n', String(ARTICLES), '-o', site]);
  const config = path.join(work, 'config.toml');
  writeFileSync(config, CONFIG_TEXT.replace('demo_content = true', 'demo_content = false'));
  const data = path.join(work, 'data');
  run(srv.bin, ['--data', data, '--config', config, 'import', path.join(site, 'content/articles')]);
  run(srv.bin, ['--data', data, '--config', config, 'export', '--static', out]);
  files = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(out, rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel);
    if (!file.startsWith(out)) return res.writeHead(403).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404).end();
    }
    fetched.push({ path: rel, bytes: body.length });
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.js') ? 'text/javascript'
      : file.endsWith('.css') ? 'text/css' : file.endsWith('.svg') ? 'image/svg+xml' : 'text/html; charset=utf-8';
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise((r) => files.listen(0, '127.0.0.1', r));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  files?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A word of the first article's title (long enough to be a word of its own), as a reader might type it. */
function titleWord() {
  const dir = path.join(site, 'content/articles');
  const first = readdirSync(dir).filter((f) => f !== '_index.md').sort()[0];
  const title = /^title\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(dir, first), 'utf8'))[1];
  return title.split(/[^A-Za-z]+/).find((w) => w.length >= 6) ?? title.split(' ')[0];
}

test('offline search lists matching articles and loads only the pieces of the index it needs', async () => {
  const base = `http://127.0.0.1:${files.address().port}`;
  const meta = JSON.parse(readFileSync(path.join(out, 'search/meta.json'), 'utf8'));
  assert.equal(meta.docs, ARTICLES + 1, 'every article (and the section page) is in the index');
  assert.ok(meta.shards.length >= 10, `the index is split: ${meta.shards.length} shards`);
  const indexFiles = walk(path.join(out, 'search')).filter((f) => f.endsWith('.json'));
  const indexBytes = indexFiles.reduce((n, f) => n + statSync(f).size, 0);

  const word = titleWord();
  const { context, seen } = await guardedContext(browser, {});
  const page = await context.newPage();
  fetched.length = 0;
  await page.goto(`${base}/search/index.html?q=${encodeURIComponent(word)}`);
  const status = page.locator('#static-search [role=status]');
  await status.waitFor();
  const heading = await status.textContent();
  assert.match(heading, new RegExp(`(found|best matches) for \u201c${word}\u201d`), heading);
  const links = page.locator('#static-search ol a');
  const n = await links.count();
  assert.ok(n >= 1 && n <= 20, `${n} results`);
  const titles = await links.allTextContents();
  assert.ok(titles.some((t) => t.toLowerCase().includes(word.toLowerCase())), `${word} in a title: ${titles}`);

  const loaded = fetched.filter((f) => f.path.startsWith('search/') && f.path.endsWith('.json'));
  const shards = loaded.filter((f) => f.path.startsWith('search/t/'));
  const loadedBytes = loaded.reduce((s, f) => s + f.bytes, 0);
  assert.ok(shards.length >= 1 && shards.length <= 5, `term shards loaded: ${shards.map((f) => f.path)}`);
  assert.ok(loaded.some((f) => f.path === 'search/meta.json'), 'meta.json loaded');
  assert.ok(
    loadedBytes * 4 < indexBytes,
    `a query loaded ${loadedBytes} of the index's ${indexBytes} bytes (${loaded.length} of ${indexFiles.length} files)`,
  );
  console.log(`# offline search "${word}": ${loaded.length} files, ${loadedBytes} bytes of ${indexBytes}`);

  await links.first().click();
  await page.waitForLoadState();
  assert.match(page.url(), /\/articles\/[^/]+\/index\.html$/, page.url());
  assert.equal((await page.locator('h1').textContent()).trim().toLowerCase(), titles[0].trim().toLowerCase());

  fetched.length = 0;
  await page.goto(`${base}/search/index.html?q=zzqqxxnotaword`);
  await status.waitFor();
  assert.match(await status.textContent(), /^No articles found/);
  assertClean(seen, 'offline search');
  await context.close();
});
