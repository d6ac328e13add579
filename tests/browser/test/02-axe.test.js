// axe-core on every page type, phone and desktop, light and dark: zero violations (all of axe's default rules,
// WCAG 2.0–2.2 A/AA and best practices). Violations are printed in full.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launch, guardedContext, assertClean, VIEWPORTS } from '../lib/browser.js';
import { server, searchAvailable, skip } from '../lib/server.js';
import { PAGE_TYPES, openType } from '../lib/pages.js';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser, srv, search;
before(async () => {
  srv = await server();
  search = await searchAvailable(srv.url);
  browser = await launch();
});
after(async () => browser?.close());

function describe(v) {
  return v
    .map((x) => {
      const nodes = x.nodes
        .slice(0, 5)
        .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}\n        ${n.html.slice(0, 200)}`)
        .join('\n');
      return `  [${x.impact}] ${x.id}: ${x.help} (${x.nodes.length} nodes) ${x.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

for (const pt of PAGE_TYPES) {
  test(`axe-core: ${pt.type}`, async (t) => {
    if (pt.needsSearch && !search.ok) return skip(t, `axe-core on ${pt.type}`, search.why);
    const failures = [];
    for (const device of ['phone', 'desktop']) {
      for (const scheme of ['light', 'dark']) {
        const { context, seen } = await guardedContext(browser, { ...VIEWPORTS[device], colorScheme: scheme });
        const page = await context.newPage();
        const res = await openType(page, srv.url, pt);
        assert.equal(res.status(), pt.status, `${pt.type}: status`);
        // page.evaluate runs outside the page's CSP, so the strict policy does not block axe.
        await page.evaluate(AXE);
        const result = await page.evaluate(() =>
          window.axe.run(document, { resultTypes: ['violations'] }),
        );
        assert.ok(result.passes.length > 10, `axe ran on ${pt.type}: ${result.passes.length} rules passed`);
        if (result.violations.length)
          failures.push(`${pt.type} (${device}, ${scheme}) ${page.url()}:\n${describe(result.violations)}`);
        await context.close();
        assertClean(seen, `${pt.type} (${device}, ${scheme})`);
      }
    }
    if (failures.length) {
      console.log(`axe-core violations:\n${failures.join('\n')}`);
      assert.fail(`axe-core found violations:\n${failures.join('\n')}`);
    }
  });
}
