// An editor's walk in a real browser: sign in, write a new article, preview it, publish it, and find it on
// the site; with JavaScript on and off (the editors' side needs none). Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, guardedContext, assertClean, shotPath, VIEWPORTS } from '../lib/browser.js';
import { server } from '../lib/server.js';

const PASSWORD = 'a long browser-test password';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser, srv;

/** axe-core's violations on the page, as readable lines (none expected). Needs JavaScript in the page. */
async function axe(page) {
  if (!page.context().__zoJs) return [];
  // page.evaluate runs outside the page's CSP, so the strict policy does not block axe.
  await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => `${page.url()}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

before(async () => {
  srv = await server();
  const r = spawnSync(
    srv.bin,
    ['--data', srv.dataDir, '--config', srv.configPath, 'user', 'add', 'browser-editor', '--role', 'editor', '--password-stdin'],
    { input: `${PASSWORD}\n`, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  // A second run of the suite on the same data finds the account already there.
  assert.ok(r.status === 0 || /already/.test(r.stderr), `user add: ${r.stdout}${r.stderr}`);
  browser = await launch();
});
after(async () => browser?.close());

for (const js of [true, false]) {
  const label = js ? 'with JavaScript' : 'without JavaScript';
  test(`an editor writes, previews and publishes an article ${label}`, async () => {
    const { context, seen } = await guardedContext(browser, { ...VIEWPORTS.desktop, javaScriptEnabled: js });
    context.__zoJs = js;
    const page = await context.newPage();
    const nav = async (action) => (await Promise.all([page.waitForNavigation(), action()]))[0];

    const violations = [];
    let res = await page.goto(`${srv.url}/admin`);
    assert.match(page.url(), /\/admin\/login$/, 'signed out: the sign-in page');
    violations.push(...(await axe(page)));
    await page.getByLabel('Name').fill('browser-editor');
    await page.getByLabel('Password').fill(PASSWORD);
    res = await nav(() => page.getByRole('button', { name: 'Sign in' }).click());
    assert.equal(res.status(), 200);
    assert.match(page.url(), /\/admin\/articles$/);
    violations.push(...(await axe(page)));

    await nav(() => page.getByRole('link', { name: 'New article', exact: true }).first().click());
    violations.push(...(await axe(page)));
    const title = `Browser Walk ${js ? 'Script' : 'Plain'} ${Date.now()}`;
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel("The reader's question").fill('Can an editor publish from a browser?');
    await page.getByLabel('Short answer').fill('Yes, with or without JavaScript.');
    await page.getByLabel('Body (Markdown)').fill('## A heading\n\nA paragraph written in the browser.\n');
    await page.getByLabel('Tags', { exact: true }).fill('healing');
    await page.screenshot({ path: shotPath(`admin-editor-${js ? 'js' : 'nojs'}`), fullPage: true });

    const [preview] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Preview (new tab)' }).click(),
    ]);
    await preview.waitForLoadState();
    assert.equal(await preview.locator('h1.article-title').innerText(), title.toUpperCase(), 'preview is the reader page');
    await preview.close();

    res = await nav(() => page.getByRole('button', { name: 'Publish now' }).click());
    assert.equal(res.status(), 200);
    assert.match(await page.locator('.notice').innerText(), /Published/);
    violations.push(...(await axe(page)));
    await page.screenshot({ path: shotPath(`admin-published-${js ? 'js' : 'nojs'}`), fullPage: true });

    res = await nav(() => page.getByRole('link', { name: 'View on the site' }).click());
    assert.equal(res.status(), 200);
    assert.equal(await page.locator('h1').innerText(), title.toUpperCase());

    await page.goto(`${srv.url}/admin/articles`);
    await nav(() => page.getByRole('button', { name: 'Sign out' }).click());
    assert.match(page.url(), /\/admin\/login$/);
    // The editors' side sets its session cookie (only under /admin); everything else must stay clean.
    seen.setCookie = seen.setCookie.filter((c) => !/\/admin\/(login|logout)\b.*zo_session=/.test(c));
    assertClean(seen, label);
    assert.deepEqual(violations, [], 'axe-core finds nothing on the editors\' pages');
    await context.close();
  });
}
