// Slow clients: Debian's slowhttptest on loopback holds at least 500 slow connections open for about 20 s
// (slow headers, then slow bodies) while a normal client fetches / every 200 ms on a new connection; every answer
// must come within 1 s. The server closes a connection whose headers take longer than read_timeout_secs (10 s by
// default), so new slow-header connections keep being opened (100 a second) to keep 500 or more open; slow bodies
// (600, opened at 100 a second) stay open for the whole run.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { server, TARGET } from '../lib/server.js';

const OUT = path.join(TARGET, 'slowhttptest');
const SECONDS = 20;

let srv;
before(async () => {
  srv = await server();
  mkdirSync(OUT, { recursive: true });
});

/** One GET on a new connection; resolves with { ms, status } or { ms, error }. */
function probe(url) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' }, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 1 s')));
    req.on('error', (e) => resolve({ ms: performance.now() - t0, error: e.message }));
  });
}

function runSlow(name, args) {
  return new Promise((resolve, reject) => {
    const csv = path.join(OUT, name);
    const child = spawn('timeout', ['--kill-after=5', String(SECONDS + 30), 'slowhttptest', ...args, '-l', String(SECONDS), '-g', '-o', csv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => reject(new Error(`cannot run slowhttptest: ${e.message}`)));
    child.on('exit', (code) => resolve({ code, out: out.replace(/\x1b\[[0-9;]*m/g, ''), csv: `${csv}.csv` }));
  });
}

async function slowTest(name, args, url) {
  const slow = runSlow(name, args);
  let done = false;
  slow.then(() => (done = true));
  // Let the first connections open, then probe every 200 ms while the attack runs.
  await new Promise((r) => setTimeout(r, 1000));
  const results = [];
  while (!done) {
    const t = Date.now();
    results.push(await probe(url));
    await new Promise((r) => setTimeout(r, Math.max(0, 200 - (Date.now() - t))));
  }
  const { code, out, csv } = await slow;
  assert.ok(code === 0 || code === 1, `slowhttptest exited ${code}:\n${out.slice(-2000)}`);
  const rows = readFileSync(csv, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
  // Seconds,Closed,Pending,Connected,Service Available
  const connected = rows.map((r) => r[3]);
  const held = rows.filter((r) => r[3] >= 500).length;
  const maxConnected = Math.max(...connected);
  const closed = Math.max(...rows.map((r) => r[1]));
  const slowOnes = results.filter((r) => r.error || r.ms > 1000 || r.status !== 200);
  const worst = Math.max(...results.map((r) => r.ms));
  console.log(
    `slow clients (${name}): up to ${maxConnected} slow connections open (500 or more during ${held} s), ` +
      `${closed} closed by the server; normal client: ${results.length} requests, slowest ${worst.toFixed(0)} ms, ` +
      `${slowOnes.length} late or failed`,
  );
  assert.ok(maxConnected >= 500, `slowhttptest held only ${maxConnected} connections:\n${rows.join('\n')}`);
  assert.ok(held >= 5, `500 or more slow connections were open for only ${held} s:\n${rows.join('\n')}`);
  assert.ok(results.length >= 50, `only ${results.length} normal requests were made`);
  assert.deepEqual(slowOnes, [], 'every normal request answered 200 within 1 s');
  return { closed };
}

test('slow clients: slow headers (slowloris) do not stop the site answering', async () => {
  const { closed } = await slowTest(
    'headers',
    ['-H', '-c', '2000', '-r', '100', '-i', '5', '-x', '24', '-p', '3', '-t', 'GET', '-u', `${srv.url}/`],
    `${srv.url}/`,
  );
  assert.ok(closed > 0, 'the server closed no slow-header connection (read_timeout_secs)');
});

test('slow clients: slow bodies do not stop the site answering', async () => {
  await slowTest(
    'bodies',
    ['-B', '-c', '600', '-r', '100', '-i', '5', '-x', '10', '-s', '8192', '-p', '3', '-t', 'POST', '-u', `${srv.url}/contact`],
    `${srv.url}/`,
  );
});
