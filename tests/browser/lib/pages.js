// Every page type the gates check, and how a browser page gets to it.
import { SAMPLE } from './server.js';

/**
 * Page types: { type, path, status, needsSearch, open(page, base) }. `open` navigates and returns the Response.
 * "contact-errors" is the form re-shown after an invalid POST; "thanks" follows a valid one.
 */
export const PAGE_TYPES = [
  { type: 'home', path: '/', status: 200 },
  { type: 'article', path: SAMPLE, status: 200 },
  { type: 'tags', path: '/tags', status: 200 },
  { type: 'tag', path: '/tags/posttraumaticgrowth', status: 200 },
  { type: 'search-results', path: '/search?q=posttraumatic+growth', status: 200, needsSearch: true },
  { type: 'search-no-results', path: '/search?q=zzqxjvnotaword', status: 200, needsSearch: true },
  { type: 'contact', path: '/contact', status: 200 },
  {
    type: 'contact-errors',
    path: '/contact (POST, invalid)',
    status: 422,
    open: async (page, base) => {
      await page.goto(`${base}/contact`);
      await page.fill('#email', 'not-an-address');
      await page.fill('#message', '');
      const [res] = await Promise.all([page.waitForNavigation(), page.click('form[action="/contact"] button[type="submit"]')]);
      return res;
    },
  },
  {
    type: 'thanks',
    path: '/contact/thanks (after a POST)',
    status: 200,
    open: async (page, base) => {
      await page.goto(`${base}/contact`);
      await page.fill('#message', 'A question sent by the quality gates.');
      const [res] = await Promise.all([page.waitForNavigation(), page.click('form[action="/contact"] button[type="submit"]')]);
      return res;
    },
  },
  { type: '404', path: '/no/such/page', status: 404 },
];

export async function openType(page, base, pt) {
  if (pt.open) return pt.open(page, base);
  return page.goto(`${base}${pt.path}`);
}
