// Debian's chromium driven by playwright-core, with guards every test shares.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TARGET } from './server.js';

export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORTS = {
  phone: { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 },
};

export const SCREENSHOTS = path.join(TARGET, 'screenshots');

/** launch() gives each browser a new empty profile (a fresh --user-data-dir of Playwright's own). */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/**
 * A context that records what must never happen on this site: a request to a host other than 127.0.0.1 (which is
 * also refused), a Set-Cookie header, a console error, an uncaught page error, a CSP violation (which, with no
 * inline code of ours, means something was injected).
 */
export async function guardedContext(browser, opts = {}) {
  const context = await browser.newContext({ ...opts });
  const seen = { foreign: [], setCookie: [], consoleErrors: [], pageErrors: [], csp: [] };
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' && (u.protocol === 'http:' || u.protocol === 'https:')) return route.continue();
    if (u.protocol === 'data:' || u.protocol === 'blob:') return route.continue();
    seen.foreign.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && u.protocol !== 'blob:') seen.foreign.push(req.url());
  });
  context.on('response', async (res) => {
    const c = await res.headerValue('set-cookie').catch(() => null);
    if (c) seen.setCookie.push(`${res.url()}: ${c}`);
  });
  if (opts.javaScriptEnabled !== false) {
    await context.exposeBinding('__zoCsp', (_src, v) => seen.csp.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__zoCsp(`${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sample || ''})`);
      });
    });
  }
  context.on('page', (page) => watchPage(page, seen));
  return { context, seen };
}

function watchPage(page, seen) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A 404 or 422 document is logged as a failed load; the tests check those statuses themselves.
    const docFailure = /^Failed to load resource: the server responded with a status of (404|422)\b/.test(m.text());
    if (docFailure && m.location().url === page.url()) return;
    seen.consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.pageErrors.push(`${page.url()}: ${e.message}`));
}

/** Throws, listing everything recorded, unless nothing was. */
export function assertClean(seen, label) {
  const problems = [];
  for (const [k, v] of Object.entries(seen)) for (const x of v) problems.push(`${k}: ${x}`);
  if (problems.length) throw new Error(`${label}:\n  ${[...new Set(problems)].join('\n  ')}`);
}

export function shotPath(name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}
