// A reader's walk through the site in a real browser: home → search → article → hashtag → tag page → topics →
// Contact Us (errors, then sent) → thank-you page, and a missing page; on a phone and a desktop, light and dark,
// and again with JavaScript turned off. Screenshots of each page type go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, guardedContext, assertClean, shotPath, VIEWPORTS } from '../lib/browser.js';
import { server, searchAvailable, skip, SAMPLE } from '../lib/server.js';

const srv = await server();
const search = await searchAvailable(srv.url);
let browser;

before(async () => {
  browser = await launch();
});
after(async () => browser?.close());

const combos = [];
for (const device of ['phone', 'desktop'])
  for (const scheme of ['light', 'dark']) combos.push({ device, scheme, js: true });
combos.push({ device: 'phone', scheme: 'light', js: false }, { device: 'desktop', scheme: 'dark', js: false });

for (const { device, scheme, js } of combos) {
  const label = `${device} ${scheme}${js ? '' : ' without JavaScript'}`;
  // When search answers, the walk goes through it; when it does not, the search step is reported as skipped.
  if (!search.ok)
    test(`reader walk, search step: ${label}`, (t) => skip(t, `search step of the reader walk (${label})`, search.why));
  test(`reader walk: ${label}`, async () => {
    const { context, seen } = await guardedContext(browser, {
      ...VIEWPORTS[device],
      colorScheme: scheme,
      javaScriptEnabled: js,
    });
    const page = await context.newPage();
    const name = (type) => `${type}-${device}-${scheme}${js ? '' : '-nojs'}`;
    const look = async (type, status = 200, res = null) => {
      if (res) assert.equal(res.status(), status, `${type}: HTTP status of ${page.url()}`);
      assert.ok((await page.locator('h1').count()) === 1, `${type}: one h1 on ${page.url()}`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(scrollWidth <= innerWidth, `${type}: page is ${scrollWidth}px wide in a ${innerWidth}px viewport`);
      await page.screenshot({ path: shotPath(name(type)), fullPage: true });
    };
    const nav = async (action) => {
      const [res] = await Promise.all([page.waitForNavigation(), action()]);
      return res;
    };

    // Home
    let res = await page.goto(`${srv.url}/`);
    await look('home', 200, res);
    assert.ok((await page.locator('.article-card').count()) > 0, 'home lists articles');

    // Search, from the header's box
    if (search.ok) {
      res = await nav(async () => {
        await page.fill('#site-search', 'posttraumatic growth');
        await page.press('#site-search', 'Enter');
      });
      assert.match(page.url(), /\/search\?q=posttraumatic\+growth/);
      await look('search', 200, res);
      const hit = page.locator(`main a[href="${SAMPLE}"]`).first();
      assert.ok((await hit.count()) === 1, 'the sample article is among the results');
      res = await nav(() => hit.click());
    } else {
      res = await nav(() => page.locator(`main a[href="${SAMPLE}"]`).first().click());
    }

    // Article
    assert.equal(new URL(page.url()).pathname, SAMPLE);
    await look('article', 200, res);
    assert.match(await page.locator('h1').innerText(), /HOW SEXUAL INTIMACY CAN FACILITATE POSTTRAUMATIC GROWTH/);
    assert.ok((await page.locator('.reader-question').count()) === 1, 'the reader question section is shown');

    // Hashtag → tag page
    const tag = page.locator('.hashtags a.hashtag').first();
    const tagText = (await tag.innerText()).replace(/^#/, '');
    res = await nav(() => tag.click());
    assert.equal(new URL(page.url()).pathname, `/tags/${tagText}`);
    await look('tag', 200, res);
    assert.ok((await page.locator(`main a[href="${SAMPLE}"]`).count()) >= 1, 'the tag page lists the article');

    // Tag index
    res = await nav(() => page.locator('main a[href="/tags"]').first().click());
    assert.equal(new URL(page.url()).pathname, '/tags');
    await look('tags', 200, res);

    // Contact Us from the header; an empty message first, then a real one
    res = await nav(() => page.locator('header a[href="/contact"]').click());
    await look('contact', 200, res);
    await page.fill('#name', 'Walk test');
    await page.fill('#email', 'not-an-address');
    res = await nav(() => page.click('form[action="/contact"] button[type="submit"]'));
    await look('contact-errors', 422, res);
    assert.ok((await page.locator('.error-summary').count()) === 1, 'an error summary is shown');
    assert.equal(await page.inputValue('#name'), 'Walk test', 'the reader text is kept');
    assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
    await page.fill('#email', '');
    await page.selectOption('#kind', 'question');
    await page.fill('#message', `How do I talk about this with my partner? (browser walk, ${label})`);
    res = await nav(() => page.click('form[action="/contact"] button[type="submit"]'));
    assert.equal(new URL(page.url()).pathname, '/contact/thanks');
    await look('thanks', 200, res);

    // A page that does not exist
    res = await page.goto(`${srv.url}/articles/no-such-article`);
    await look('404', 404, res);

    assert.deepEqual(await context.cookies(), [], 'no cookie is set');
    await context.close();
    assertClean(seen, `${label}: the site must make no foreign request, set no cookie, log no error`);
  });
}
