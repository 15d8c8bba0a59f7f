#!/usr/bin/env node
// Real-browser end-to-end test of the rendered guideline website.
//
// Usage: node tests/browser/site.mjs SITE_DIR [--screenshots DIR]
//
// Serves SITE_DIR on 127.0.0.1 (ephemeral port), drives headless Chromium
// through playwright-core and checks the chapter pages, technology mentions,
// search (Japanese and English) and the language switch. Every request the
// browser makes is recorded; any request to a host other than 127.0.0.1 fails
// the run. Exits non-zero with a message per failed check.
//
// Environment: CHROMIUM (default /usr/bin/chromium), SITE_TEST_TIMEOUT_MS
// (default 120000, whole run).

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------- arguments

function usage(message) {
  if (message) console.error(`site.mjs: ${message}`);
  console.error('usage: node tests/browser/site.mjs SITE_DIR [--screenshots DIR]');
  process.exit(2);
}

let siteDir = null;
let shotsDir = null;
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--screenshots') {
      if (i + 1 >= args.length) usage('--screenshots needs a directory');
      shotsDir = path.resolve(args[++i]);
    } else if (a.startsWith('--screenshots=')) {
      shotsDir = path.resolve(a.slice('--screenshots='.length));
    } else if (a === '-h' || a === '--help') {
      usage();
    } else if (a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if (siteDir === null) {
      siteDir = path.resolve(a);
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if (siteDir === null) usage('missing SITE_DIR');
  if (!fs.existsSync(path.join(siteDir, 'ja', 'index.html'))) {
    console.error(`site.mjs: ${siteDir} is not a built site (no ja/index.html); build it first with\n` +
      '  guideline build guideline --out out --only site');
    process.exit(2);
  }
}

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  console.error('site.mjs: playwright-core is not installed; run `npm ci` in tests/browser first');
  process.exit(2);
}

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.error(`site.mjs: no Chromium at ${executablePath}; install it with apt-get install -y chromium fonts-noto-cjk`);
  process.exit(2);
}

const runTimeoutMs = Number(process.env.SITE_TEST_TIMEOUT_MS || 120000);
const STEP_TIMEOUT = 15000;

// ------------------------------------------------------------ static server

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.webmanifest': 'application/manifest+json',
};

const served = { ok: 0, notFound: [] };

function serve(req, res) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  const file = path.join(siteDir, path.normalize(pathname));
  if (file !== siteDir && !file.startsWith(siteDir + path.sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let target = file;
  try {
    if (fs.statSync(target).isDirectory()) target = path.join(target, 'index.html');
    const body = fs.readFileSync(target);
    const type = CONTENT_TYPES[path.extname(target).toLowerCase()] || 'application/octet-stream';
    served.ok++;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    served.notFound.push(pathname);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
  }
}

// ------------------------------------------------------------------ checks

const results = []; // { name, ok, detail }
const failures = [];

function pass(name, detail = '') {
  results.push({ name, ok: true, detail });
  console.log(`ok   ${name}${detail ? ` — ${detail}` : ''}`);
}

function fail(name, detail) {
  results.push({ name, ok: false, detail });
  failures.push(`${name}: ${detail}`);
  console.log(`FAIL ${name} — ${detail}`);
}

function check(name, condition, okDetail, failDetail) {
  if (condition) pass(name, okDetail);
  else fail(name, failDetail);
  return condition;
}

async function step(name, fn) {
  try {
    await fn();
  } catch (err) {
    fail(name, String(err && err.message ? err.message.split('\n')[0] : err));
  }
}

// Text of the page's own heading: mdBook also has h1.menu-title in its menu bar.
async function mainHeading(page) {
  return page.evaluate(() => {
    const h = document.querySelector('main h1') || document.querySelector('h1:not(.menu-title)')
      || document.querySelector('h1');
    return h ? h.textContent.trim() : null;
  });
}

async function waitForResults(page, timeout = STEP_TIMEOUT) {
  try {
    await page.waitForSelector('#mdbook-searchresults li', { state: 'attached', timeout });
  } catch {
    const header = await page.$eval('#mdbook-searchresults-header', (h) => h.textContent.trim()).catch(() => null);
    throw new Error(`no #mdbook-searchresults li within ${timeout} ms on ${decodeURI(page.url())}` +
      (header === null ? ' (no #mdbook-searchresults-header on the page)' : `; header "${header}"`));
  }
  return page.$$eval('#mdbook-searchresults li', (lis) => lis.map((li) => {
    const a = li.querySelector('a');
    return {
      text: a ? a.textContent.trim() : '',
      href: a ? a.getAttribute('href') : '',
      all: li.textContent.replace(/\s+/g, ' ').trim(),
    };
  }));
}

// ------------------------------------------------------------------- main

const t0 = Date.now();
const server = http.createServer(serve);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
const base = `http://127.0.0.1:${server.address().port}`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guideline-chromium-'));
const requests = [];
const external = [];
const pageErrors = [];
const consoleErrors = [];
const httpErrors = [];
let context = null;

const watchdog = setTimeout(() => {
  console.error(`site.mjs: FAILED — the run took longer than ${runTimeoutMs} ms`);
  process.exit(1);
}, runTimeoutMs);
watchdog.unref();

function isAllowed(u) {
  let url;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || u === 'about:blank') return true;
  return (url.protocol === 'http:' || url.protocol === 'ws:') && url.hostname === '127.0.0.1';
}

const stats = {};

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timeout: 60000,
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);

  // Record every request; block (and report) anything that leaves 127.0.0.1.
  context.on('request', (r) => {
    requests.push(r.url());
    if (!isAllowed(r.url())) external.push(r.url());
  });
  context.on('response', (r) => {
    if (r.status() >= 400 && isAllowed(r.url())) httpErrors.push(`${r.status()} ${r.url()}`);
  });
  await context.route((u) => !isAllowed(u.href), (route) => {
    const u = route.request().url();
    if (!external.includes(u)) external.push(u);
    return route.abort('blockedbyclient');
  });

  const page = context.pages()[0] || await context.newPage();
  page.on('websocket', (ws) => {
    requests.push(ws.url());
    if (!isAllowed(ws.url())) external.push(ws.url());
  });
  page.on('pageerror', (e) => pageErrors.push(`${decodeURI(page.url())}: ${e.message.split('\n')[0]}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });

  const chapterUrl = `${base}/ja/chapters/C-7.html`;

  // (0) the root redirects to the Japanese book.
  await step('root redirect', async () => {
    await page.goto(`${base}/index.html`);
    await page.waitForURL(/\/ja\/(index\.html)?$/, { timeout: 5000 });
    pass('root redirect', `→ ${new URL(page.url()).pathname}`);
  });

  // (a) the C-7 chapter page.
  await step('chapter page ja/chapters/C-7.html', async () => {
    const resp = await page.goto(chapterUrl);
    if (!check('chapter page ja/chapters/C-7.html', resp && resp.status() === 200,
      'HTTP 200', `HTTP ${resp && resp.status()}`)) return;
    const title = await page.title();
    const heading = await mainHeading(page);
    check('chapter title/heading contains 認証', title.includes('認証') || (heading || '').includes('認証'),
      `h1 "${heading}"`, `title "${title}", h1 "${heading}"`);
    const hasControl = await page.evaluate(() => document.getElementById('C-7.1') !== null);
    check('control anchor id="C-7.1"', hasControl, '', 'no element with id "C-7.1"');
    const mentions = await page.$$eval('a.mention', (as) => as.map((a) => ({
      href: a.getAttribute('href') || '',
      cls: a.className,
      badge: (a.querySelector('span.badge') || { textContent: '' }).textContent.trim(),
    })));
    stats.mentions = mentions.length;
    const examples = mentions.filter((m) => m.badge === '例示');
    check('a.mention with span.badge 例示', examples.length > 0,
      `${mentions.length} mentions, ${examples.length} 例示`,
      `${mentions.length} a.mention elements, badges: ${JSON.stringify([...new Set(mentions.map((m) => m.badge))])}`);
    const badLabel = mentions.filter((m) => !['例示', '必須', '禁止'].includes(m.badge));
    check('every mention badge is 例示/必須/禁止', badLabel.length === 0, '',
      `${badLabel.length} bad, e.g. ${JSON.stringify(badLabel[0])}`);
    const badRole = mentions.filter((m) => !/\brole-(example|required|prohibited)\b/.test(m.cls));
    check('every mention has a role-* class', badRole.length === 0, '',
      `${badRole.length} without, e.g. ${JSON.stringify(badRole[0])}`);
    const badHref = mentions.filter((m) => !/^\.\.\/technologies\/[^/]+\.html(#.*)?$/.test(m.href));
    check('every mention links ../technologies/<id>.html', badHref.length === 0, '',
      `${badHref.length} other, e.g. ${JSON.stringify(badHref[0])}`);
    if (shotsDir) {
      fs.mkdirSync(shotsDir, { recursive: true });
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(shotsDir, 'chapter-ja.png') });
      pass('screenshot chapter-ja.png', path.join(shotsDir, 'chapter-ja.png'));
    }
  });

  // (b) search, Japanese then English.
  await step('search ja ?search=クライアント証明書', async () => {
    const q = 'クライアント証明書';
    await page.goto(`${base}/ja/index.html?search=${encodeURIComponent(q)}`);
    const t = Date.now();
    const list = await waitForResults(page);
    stats.searchUrlMs = Date.now() - t;
    stats.searchJa = list.length;
    const relevant = list.filter((r) => r.all.includes(q) || /chapters\/[^/]+\.html/.test(r.href));
    check(`search ja "${q}" via ?search=`, list.length > 0 && relevant.length > 0,
      `${list.length} results, first "${list[0].text}"`,
      `${list.length} results, none mentions ${q} or links a chapter: ${JSON.stringify(list.slice(0, 3))}`);
    const visible = await page.isVisible('#mdbook-searchresults');
    check('search results are visible', visible, '', '#mdbook-searchresults is not visible');
    if (shotsDir) {
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: path.join(shotsDir, 'search-ja.png') });
      pass('screenshot search-ja.png', path.join(shotsDir, 'search-ja.png'));
    }
  });

  await step('search ja typed 二要素', async () => {
    const q = '二要素';
    const bar = page.locator('#mdbook-searchbar');
    if (!(await bar.isVisible())) await page.click('#mdbook-search-toggle');
    if (!(await bar.isVisible())) throw new Error('#mdbook-searchbar is not visible, even after clicking #mdbook-search-toggle');
    // Clear the previous query; mdBook's searcher reacts to keyup.
    await bar.fill('');
    await bar.press('End');
    await page.waitForFunction(() => document.querySelectorAll('#mdbook-searchresults li').length === 0,
      null, { timeout: 3000 }).catch(() => {});
    const before = await page.$eval('#mdbook-searchresults', (ul) => ul.innerHTML);
    // Time from typing to the first result, measured inside the page.
    await page.evaluate(({ q, before }) => {
      window.__e2eFirstResult = null;
      const ul = document.getElementById('mdbook-searchresults');
      const header = document.getElementById('mdbook-searchresults-header');
      const done = () => ul.querySelector('li') !== null && (ul.innerHTML !== before
        || (header && header.textContent.includes(q)) || ul.textContent.includes(q));
      const obs = new MutationObserver(() => {
        if (window.__e2eFirstResult === null && done()) {
          window.__e2eFirstResult = performance.now();
          obs.disconnect();
        }
      });
      obs.observe(ul, { childList: true, subtree: true, characterData: true });
      window.__e2eTypeStart = performance.now();
    }, { q, before });
    await bar.focus();
    // Non-ASCII text arrives as input events (as from an IME); the final End
    // key stands for the key that commits the IME composition.
    await page.keyboard.type(q);
    await bar.press('End');
    await page.waitForFunction(() => window.__e2eFirstResult !== null, null, { timeout: STEP_TIMEOUT });
    stats.typeToResultMs = Math.round(await page.evaluate(() => window.__e2eFirstResult - window.__e2eTypeStart));
    const list = await waitForResults(page);
    stats.searchTyped = list.length;
    check(`search ja "${q}" typed`, list.length > 0,
      `${list.length} results, first after ${stats.typeToResultMs} ms, first "${list[0] && list[0].text}"`, 'no results');
  });

  await step('search en ?search=authentication', async () => {
    const q = 'authentication';
    await page.goto(`${base}/en/index.html?search=${q}`);
    const list = await waitForResults(page);
    stats.searchEn = list.length;
    const relevant = list.filter((r) => r.all.toLowerCase().includes(q) || /chapters\/[^/]+\.html/.test(r.href));
    check(`search en "${q}" via ?search=`, list.length > 0 && relevant.length > 0,
      `${list.length} results, first "${list[0].text}"`, `${list.length} results, none relevant`);
  });

  // (c) follow a technology mention from the chapter page.
  await step('mention → technology page', async () => {
    await page.goto(chapterUrl);
    let link = page.locator('a.mention[href*="technologies/fido2"]').first();
    const isFido = (await link.count()) > 0;
    if (!isFido) link = page.locator('a.mention').first();
    if ((await link.count()) === 0) {
      fail('mention → technology page', 'no a.mention on ja/chapters/C-7.html');
      return;
    }
    const href = await link.getAttribute('href');
    const [resp] = await Promise.all([
      page.waitForNavigation({ url: /\/technologies\/[^/]+\.html/ }),
      link.click(),
    ]);
    const heading = await mainHeading(page);
    const ok = resp && resp.status() === 200 && !!heading && (!isFido || heading.includes('FIDO2'));
    check('mention → technology page', ok,
      `${href} → ${new URL(page.url()).pathname}, h1 "${heading}"`,
      `${href} → ${page.url()} (HTTP ${resp && resp.status()}), h1 "${heading}"${isFido ? ', expected FIDO2' : ''}`);
  });

  // (d) the language switch on the ja chapter page, the en chapter page and the technology page.
  const switches = [
    [`${base}/ja/chapters/C-7.html`, '/en/chapters/C-7.html'],
    [`${base}/en/chapters/C-7.html`, '/ja/chapters/C-7.html'],
    [page.url(), null],
  ];
  for (const [from, expected] of switches) {
    const fromPath = new URL(from).pathname;
    await step(`language switch on ${fromPath}`, async () => {
      if (page.url() !== from) await page.goto(from);
      const hrefs = await page.$$eval('a.language-switch', (as) => as.map((a) => a.getAttribute('href')));
      if (hrefs.length === 0) {
        fail(`language switch on ${fromPath}`, 'no a.language-switch');
        return;
      }
      const target = new URL(hrefs[0], page.url());
      const other = fromPath.startsWith('/ja/') ? '/en/' : '/ja/';
      const want = expected || fromPath.replace(/^\/(ja|en)\//, other);
      const resp = await context.request.get(target.href);
      check(`language switch on ${fromPath}`, target.pathname === want && resp.status() === 200,
        `${hrefs[0]} → HTTP ${resp.status()}`,
        `${hrefs[0]} → ${target.pathname}` + (target.pathname === want ? '' : ` (want ${want})`) +
          `, HTTP ${resp.status()}`);
    });
  }

  // English badges on the English chapter page.
  await step('en mention badges', async () => {
    await page.goto(`${base}/en/chapters/C-7.html`);
    const badges = await page.$$eval('a.mention span.badge', (s) => s.map((b) => b.textContent.trim()));
    const bad = badges.filter((b) => !['example', 'required', 'prohibited'].includes(b));
    check('en mention badges', badges.length > 0 && bad.length === 0,
      `${badges.length} badges`, `${badges.length} badges, unexpected: ${JSON.stringify([...new Set(bad)])}`);
  });
} catch (err) {
  fail('browser', String(err && err.message ? err.message.split('\n')[0] : err));
} finally {
  if (context) await context.close().catch(() => {});
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

// ------------------------------------------------------------ global checks

check('no request left 127.0.0.1', external.length === 0, `${requests.length} requests`,
  `${new Set(external).size} external URLs: ${[...new Set(external)].slice(0, 5).join(', ')}`);
check('no HTTP errors', httpErrors.length === 0, '', [...new Set(httpErrors)].slice(0, 5).join(', '));
check('no JavaScript errors', pageErrors.length === 0, '', [...new Set(pageErrors)].slice(0, 5).join(' | '));
for (const m of [...new Set(consoleErrors)].slice(0, 5)) console.log(`note console error: ${m}`);

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`summary: ${requests.length} requests (${new Set(external).size} external, ${served.notFound.length} not found), ` +
  `${stats.mentions ?? '?'} mentions on C-7, search results ja クライアント証明書=${stats.searchJa ?? '?'} ` +
  `(shown ${stats.searchUrlMs ?? '?'} ms after load), 二要素=${stats.searchTyped ?? '?'} ` +
  `(first result ${stats.typeToResultMs ?? '?'} ms after typing), en authentication=${stats.searchEn ?? '?'}; ${secs} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
if (failed > 0) {
  console.error('site.mjs: FAILED');
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
process.exit(0);
