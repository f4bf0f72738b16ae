// Opens every page of the built book in headless Chromium, as a reader's browser would,
// and fails when a reader would see something broken.
//
//   node check-book.mjs [BOOK_DIR] [SCREENSHOT_DIR]
//
// BOOK_DIR defaults to target/book, SCREENSHOT_DIR to target/screenshots (both relative to
// the repository root). The book is served over http on 127.0.0.1 by a small static server
// in this script, as `mdbook serve` would serve it. Requests to any other host are blocked:
// the book must work offline. Prints one line per page, then "N passed, M failed".
// CHROMIUM overrides the browser binary (default /usr/bin/chromium).

import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bookDir = resolve(repo, process.argv[2] ?? 'target/book');
const shotDir = resolve(repo, process.argv[3] ?? 'target/screenshots');
const PAGE_TIMEOUT_MS = 30_000;

// Pages a reader opens: every .html file except the sidebar frame used only without JavaScript.
function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFiles(path));
    else if (name.endsWith('.html')) out.push(relative(bookDir, path).split(sep).join('/'));
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.ico': 'image/x-icon', '.json': 'application/json',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain',
};

// The file a same-origin URL path names, or null when the book has no such file.
function fileFor(pathname) {
  let rel;
  try { rel = decodeURIComponent(pathname); } catch { return null; }
  const path = resolve(bookDir, '.' + rel);
  if (path !== bookDir && !path.startsWith(bookDir + sep)) return null;
  try {
    const st = statSync(path);
    if (st.isFile()) return path;
    if (st.isDirectory() && statSync(join(path, 'index.html')).isFile()) return join(path, 'index.html');
  } catch { /* missing */ }
  return null;
}

function serve() {
  const server = createServer((req, res) => {
    const file = fileFor(new URL(req.url, 'http://127.0.0.1').pathname);
    if (!file) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

// Runs inside the page once it has loaded: waits for MathJax, then reports what the reader sees.
async function inspect() {
  const problems = [];
  const mj = window.MathJax;
  if (!mj || !mj.startup || typeof mj.typesetPromise !== 'function') {
    problems.push('MathJax did not load, so formulas cannot be typeset');
  } else {
    try { await mj.startup.promise; } catch (e) { problems.push(`MathJax failed: ${e}`); }
  }
  // Images: loaded, with alt text. Lazy images are made eager so that they load now.
  const imgs = [...document.querySelectorAll('img')];
  for (const img of imgs) if (img.loading === 'lazy') img.loading = 'eager';
  await Promise.race([
    Promise.all(imgs.map((img) => img.decode().catch(() => {}))),
    new Promise((ok) => setTimeout(ok, 10_000)),
  ]);
  for (const img of imgs) {
    const src = img.getAttribute('src');
    if (!img.complete || img.naturalWidth === 0) problems.push(`image did not load: ${src}`);
    if (!(img.getAttribute('alt') ?? '').trim()) problems.push(`image has no alt text: ${src}`);
  }
  // Maths: no TeX delimiters left in visible text outside code, and no TeX errors.
  const skip = 'pre, code, script, style, textarea, noscript, mjx-container';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement?.closest(skip)) continue;
    const m = n.nodeValue.match(/\\[([]/);
    if (m) {
      const at = n.nodeValue.indexOf(m[0]);
      const snippet = n.nodeValue.slice(Math.max(0, at - 20), at + 40).replace(/\s+/g, ' ').trim();
      raw.push(`formula not typeset, raw ${m[0]} in text: "${snippet}"`);
    }
  }
  problems.push(...raw.slice(0, 5));
  if (raw.length > 5) problems.push(`... and ${raw.length - 5} more formulas not typeset`);
  for (const err of document.querySelectorAll('mjx-merror, [data-mjx-error]')) {
    problems.push(`TeX error in formula: ${err.getAttribute('data-mjx-error') ?? err.textContent}`);
  }
  const formulas = document.querySelectorAll('mjx-container').length;
  // Code listings: never empty, never an unexpanded include.
  const listings = [...document.querySelectorAll('pre > code')];
  listings.forEach((code, i) => {
    if (!code.textContent.trim()) problems.push(`code listing ${i + 1} is empty`);
  });
  const marker = document.body.innerText.match(/\{\{#(include|rustdoc_include|playground)[^}]*\}\}?/);
  if (marker) problems.push(`unexpanded include marker in text: ${marker[0]}`);
  // Links and anchors, checked against the other pages after every page has been seen.
  const links = [...document.querySelectorAll('a[href]')].map((a) => ({
    href: a.getAttribute('href'), url: a.href, text: a.textContent.trim().slice(0, 40),
  }));
  const ids = [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name'));
  const images = new Set(imgs.map((img) => img.src)).size; // mdBook 0.5 repeats each image for zoom
  return { problems, links, ids, images, formulas, listings: listings.length };
}

async function main() {
  const pages = htmlFiles(bookDir).filter((p) => p !== 'toc.html').sort();
  if (pages.length === 0) throw new Error(`no html pages in ${bookDir}: build the book first`);
  mkdirSync(shotDir, { recursive: true });
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profile = mkdtempSync(join(tmpdir(), 'book-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  // Offline: anything not served by our own server is refused (and reported by the page).
  await context.route((url) => url.origin !== origin, (route) => route.abort('internetdisconnected'));

  const seen = new Map(); // page -> { problems, links, ids, ... }
  const started = Date.now();
  for (const name of pages) {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`JavaScript error: ${err.message}`));
    page.on('requestfailed', (req) => {
      const where = req.url().startsWith(origin) ? 'local' : 'external (the book must work offline)';
      problems.push(`${where} request failed: ${req.url().replace(origin, '')} (${req.failure()?.errorText})`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`request failed: ${res.url().replace(origin, '')} (HTTP ${res.status()})`);
    });
    // print.html opens the print dialog once loaded; a reader's dialog is not ours to test.
    if (name === 'print.html') await page.addInitScript(() => { window.print = () => {}; });
    let result = { problems: [], links: [], ids: [], images: 0, formulas: 0, listings: 0 };
    try {
      await page.goto(`${origin}/${name}`, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
      result = await page.evaluate(inspect);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(shotDir, name.replace(/\//g, '__').replace(/\.html$/, '.png')) });
    } catch (e) {
      problems.push(`page did not load: ${e.message.split('\n')[0]}`);
    }
    await page.close();
    seen.set(name, { ...result, problems: [...problems, ...result.problems] });
  }

  // Links inside the book must reach an existing file, and an anchor must exist on its page.
  for (const [name, r] of seen) {
    for (const { href, url, text } of r.links) {
      const u = new URL(url);
      if (u.origin !== origin) continue; // external links are not followed offline
      const file = fileFor(u.pathname);
      if (!file) { r.problems.push(`broken link "${text}" -> ${href}: no such page or file`); continue; }
      const hash = decodeURIComponent(u.hash.slice(1));
      if (!hash) continue;
      // A bare "#x" means this page, even under mdBook's <base href> on 404.html.
      const targetPage = href.startsWith('#') ? name : relative(bookDir, file).split(sep).join('/');
      const ids = seen.get(targetPage)?.ids;
      if (ids && !ids.includes(hash)) r.problems.push(`broken anchor "${text}" -> ${href}: ${targetPage} has no #${hash}`);
    }
  }

  let passed = 0;
  let failed = 0;
  for (const [name, r] of seen) {
    const problems = [...new Set(r.problems)];
    const counts = `${r.images} images, ${r.formulas} formulas, ${r.listings} listings, ${r.links.length} links`;
    if (problems.length === 0) {
      passed += 1;
      console.log(`ok   ${name} (${counts})`);
    } else {
      failed += 1;
      console.log(`FAIL ${name} (${counts})`);
      for (const p of problems) console.log(`       - ${p}`);
    }
  }
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
  console.log(`checked ${seen.size} pages in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${relative(repo, shotDir)}/`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(`browser check could not run: ${e.stack ?? e}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
