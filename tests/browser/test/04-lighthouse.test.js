// Lighthouse 12.2.3 (pinned: later versions need a newer Node) on the article page and the home page, with
// Debian's chromium. Prints the four scores; fails when accessibility, best practices or SEO is below 100.
// Performance is printed only: it is noisy on shared machines. Reports go to target/lighthouse/.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { server, TARGET, SAMPLE } from '../lib/server.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../lib/browser.js';

const require = createRequire(import.meta.url);
const LH = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli/index.js');
const OUT = path.join(TARGET, 'lighthouse');
const GATED = ['accessibility', 'best-practices', 'seo'];

let srv;
before(async () => {
  srv = await server();
  mkdirSync(OUT, { recursive: true });
});

for (const [name, route] of [['article', SAMPLE], ['home', '/']]) {
  test(`Lighthouse: ${name} page`, () => {
    const report = path.join(OUT, `${name}.json`);
    const r = spawnSync(
      process.execPath,
      [
        LH,
        `${srv.url}${route}`,
        '--output=json',
        `--output-path=${report}`,
        '--only-categories=performance,accessibility,best-practices,seo',
        `--chrome-flags=${CHROMIUM_FLAGS.join(' ')}`,
        '--quiet',
      ],
      { encoding: 'utf8', timeout: 240_000, env: { ...process.env, CHROME_PATH: CHROMIUM } },
    );
    assert.equal(r.status, 0, `lighthouse failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    const lhr = JSON.parse(readFileSync(report, 'utf8'));
    if (lhr.runtimeError) assert.fail(`Lighthouse runtime error: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const scores = Object.fromEntries(
      Object.entries(lhr.categories).map(([id, c]) => [id, c.score === null ? null : Math.round(c.score * 100)]),
    );
    console.log(
      `Lighthouse ${name} (${route}): performance ${scores.performance}, accessibility ${scores.accessibility}, ` +
        `best-practices ${scores['best-practices']}, seo ${scores.seo}`,
    );
    const failing = [];
    for (const cat of GATED) {
      if (scores[cat] === 100) continue;
      for (const ref of lhr.categories[cat].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1)
          failing.push(`  ${cat}: ${a.id} (score ${a.score}): ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}${a.explanation ? ` — ${a.explanation}` : ''}`);
      }
    }
    if (failing.length) console.log(`Lighthouse ${name}: failing audits:\n${failing.join('\n')}`);
    for (const cat of GATED) assert.equal(scores[cat], 100, `${cat} is ${scores[cat]} on ${route}:\n${failing.join('\n')}`);
  });
}
