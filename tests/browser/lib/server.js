// The server under test: the one .ci/quality started (ZO_URL, ZO_DATA, ZO_CONFIG, ZO_BIN), or, when run by hand
// without ZO_URL, a fresh one on a temporary data dir that lives as long as this test process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SUITE = path.join(ROOT, 'tests/browser');
export const TARGET = path.join(ROOT, 'target');
export const SAMPLE = '/articles/sexual-intimacy-and-posttraumatic-growth';

export const CONFIG_TEXT = `# Written by tests/browser for the quality gates.
demo_content = true
read_timeout_secs = 10
[contact]
min_fill_secs = 0
per_ip_per_hour = 1000000
[[support]]
tags = ["posttraumaticgrowth", "trauma"]
title = "If this brings up difficult feelings"
text = "You can talk to someone today. These services are free and confidential."
links = [{ label = "Samaritans: 116 123", url = "tel:116123" }, { label = "Find a helpline", url = "https://findahelpline.com/" }]
`;

let started = null;

/**
 * Starts the binary on 127.0.0.1:0 and resolves with its base URL (parsed from "serving http://…" in its log).
 * Its stderr goes to `logPath`, not a pipe, so an unref'd child never keeps this process alive.
 */
export function startServer({ bin, dataDir, configPath, logPath }) {
  const fd = openSync(logPath, 'w');
  const child = spawn(bin, ['--data', dataDir, '--config', configPath, 'serve', '--addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', fd],
    env: { ...process.env, NO_COLOR: '1', RUST_LOG: process.env.RUST_LOG ?? 'warn,zeroopposite=info' },
  });
  closeSync(fd);
  let exited = null;
  child.on('exit', (code, sig) => (exited = code ?? sig));
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      const log = readFileSync(logPath, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) return resolve({ url: m[1], child });
      if (exited !== null) return reject(new Error(`server exited (${exited}) before serving:\n${log}`));
      if (Date.now() - t0 > 30_000) return reject(new Error(`server did not start in 30 s:\n${log}`));
      setTimeout(poll, 100);
    };
    child.on('error', reject);
    poll();
  });
}

/** The server to test: { url, dataDir, configPath, bin }. */
export async function server() {
  if (process.env.ZO_URL) {
    return {
      url: process.env.ZO_URL.replace(/\/$/, ''),
      dataDir: process.env.ZO_DATA,
      configPath: process.env.ZO_CONFIG,
      bin: process.env.ZO_BIN ?? path.join(ROOT, 'target/debug/zeroopposite'),
    };
  }
  if (!started) {
    const dir = mkdtempSync(path.join(tmpdir(), 'zo-quality-'));
    const dataDir = path.join(dir, 'data');
    const configPath = path.join(dir, 'config.toml');
    writeFileSync(configPath, CONFIG_TEXT);
    const bin = process.env.ZO_BIN ?? path.join(ROOT, 'target/debug/zeroopposite');
    started = startServer({ bin, dataDir, configPath, logPath: path.join(dir, 'server.log') }).then(({ url, child }) => {
      process.on('exit', () => {
        child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      });
      child.unref();
      return { url, dataDir, configPath, bin };
    });
  }
  return started;
}

/** Runs `zeroopposite --data … --config … import PATHS…`; returns { status, output }. */
export function importFiles(srv, paths) {
  const r = spawnSync(srv.bin, ['--data', srv.dataDir, '--config', srv.configPath, 'import', ...paths], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

/** GET (or POST) without following redirects. */
export async function http(url, init = {}) {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body };
}

/** A fresh signed token from the contact form. */
export async function contactToken(base) {
  const { body } = await http(`${base}/contact`);
  const m = /name="token" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no token in /contact');
  return m[1];
}

/** POSTs the contact form (fresh token unless given) and returns the raw answer. */
export async function postContact(base, fields) {
  const token = fields.token ?? (await contactToken(base));
  const form = new URLSearchParams({ name: '', email: '', kind: 'question', message: '', website: '', ...fields, token });
  return http(`${base}/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
}

/**
 * Whether /search is built: it answers 200 with a results page for a query that the demo content matches.
 * Returns { ok, why }.
 */
export async function searchAvailable(base) {
  try {
    const r = await http(`${base}/search?q=trauma`);
    if (r.status !== 200) return { ok: false, why: `GET /search?q=trauma answered ${r.status}` };
    if (!/href="\/articles\/[^"]+"/.test(r.body.split('<main')[1] ?? ''))
      return { ok: false, why: 'GET /search?q=trauma answered 200 but its page lists no article' };
    return { ok: true, why: '' };
  } catch (e) {
    return { ok: false, why: String(e) };
  }
}

/** Prints one clear line for a skipped step and marks the test skipped (never passed). */
export function skip(t, what, why) {
  const line = `SKIPPED: ${what}: ${why}`;
  console.log(line);
  t.skip(`${what}: ${why}`);
}
