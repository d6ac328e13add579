// The Nu HTML Checker (vnu.jar from npm, on the machine's Java) on the HTML of every page type exactly as the
// server sends it, and on the stylesheet: zero errors. The HTML is kept in target/html/.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { server, searchAvailable, skip, http, postContact, TARGET, ROOT, SAMPLE } from '../lib/server.js';

const require = createRequire(import.meta.url);
const VNU = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const OUT = path.join(TARGET, 'html');

let srv, search;
before(async () => {
  srv = await server();
  search = await searchAvailable(srv.url);
});

const fetchers = {
  home: () => http(`${srv.url}/`),
  article: () => http(`${srv.url}${SAMPLE}`),
  tags: () => http(`${srv.url}/tags`),
  tag: () => http(`${srv.url}/tags/posttraumaticgrowth`),
  contact: () => http(`${srv.url}/contact`),
  'contact-errors': () =>
    postContact(srv.url, { name: 'Nu checker', email: 'not-an-address', kind: 'nonsense', message: '' }),
  thanks: () => http(`${srv.url}/contact/thanks`),
  404: () => http(`${srv.url}/no/such/page`),
};
const expected = { 'contact-errors': 422, 404: 404 };
const searchFetchers = {
  'search-results': () => http(`${srv.url}/search?q=posttraumatic+growth`),
  'search-no-results': () => http(`${srv.url}/search?q=zzqxjvnotaword`),
};

function vnu(files) {
  const r = spawnSync('java', ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', '--also-check-css', ...files], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.error) throw r.error;
  const json = JSON.parse(r.stderr || r.stdout || '{"messages":[]}');
  return json.messages;
}

test('Nu HTML Checker: every page type and the stylesheet', async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const files = [];
  for (const [type, get] of Object.entries(fetchers)) {
    const r = await get();
    assert.equal(r.status, expected[type] ?? 200, `${type}: status`);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/i, `${type}: content type`);
    const f = path.join(OUT, `${type}.html`);
    writeFileSync(f, r.body);
    files.push(f);
  }
  files.push(path.join(ROOT, 'static/style.css'));
  const messages = vnu(files);
  const lines = messages.map(
    (m) => `  ${path.basename(decodeURIComponent(m.url ?? ''))}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}: ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}\n    ${(m.extract ?? '').replace(/\n/g, ' ')}`,
  );
  if (lines.length) console.log(`Nu HTML Checker errors:\n${lines.join('\n')}`);
  console.log(`Nu HTML Checker: ${files.length} files checked, ${messages.length} errors`);
  assert.equal(messages.length, 0, `Nu HTML Checker errors:\n${lines.join('\n')}`);
});

test('Nu HTML Checker: search pages', async (t) => {
  if (!search.ok) return skip(t, 'Nu HTML Checker on search-results and search-no-results', search.why);
  const files = [];
  for (const [type, get] of Object.entries(searchFetchers)) {
    const r = await get();
    assert.equal(r.status, 200, `${type}: status`);
    const f = path.join(OUT, `${type}.html`);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(f, r.body);
    files.push(f);
  }
  const messages = vnu(files);
  const lines = messages.map((m) => `  ${path.basename(m.url ?? '')}:${m.lastLine}: ${m.message}`);
  assert.equal(messages.length, 0, `Nu HTML Checker errors:\n${lines.join('\n')}`);
});
