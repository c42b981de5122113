// The webgl and webgpu parts of the benchmark: serves bench/page.html and the files it
// loads from 127.0.0.1 only, opens it in headless Chromium (Debian's package,
// driven by playwright-core; CHROMIUM_PATH overrides the executable) on ANGLE +
// SwiftShader (webgpu: SwiftShader's Vulkan, WEBGPU_ARGS), and runs bench/core.js there.
import {createReadStream, existsSync} from 'node:fs';
import {createServer} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {CHROMIUM_ARGS, WEBGPU_ARGS} from '../scripts/setup/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export {CHROMIUM_ARGS, WEBGPU_ARGS};

/** The only files the page may load. */
const FILES = {
  '/bench/page.html': 'text/html',
  '/bench/core.js': 'text/javascript',
  '/node_modules/@tensorflow/tfjs/dist/tf.min.js': 'text/javascript',
  '/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js': 'text/javascript',
  '/dist/browser/tfjs-activations.min.js': 'text/javascript',
};

function serve() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    const type = FILES[path];
    if (!type || !existsSync(join(root, path))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {'content-type': type, 'cache-control': 'no-store'});
    createReadStream(join(root, path)).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Runs the benchmark on webgl (or `backend: 'webgpu'`). Resolves to the core's
 * result with `meta`, or to {backend, error} when the browser or the GPU API
 * cannot run here.
 */
export async function runWebgl({sizes, quick, only, log = () => {}, backend = 'webgl'}) {
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (e) {
    return {backend, error: `playwright-core could not be loaded: ${e.message}`};
  }
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    return {backend, error: `no Chromium at ${executablePath} (set CHROMIUM_PATH)`};
  }
  const server = await serve();
  let browser;
  try {
    const args = backend === 'webgpu' ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : CHROMIUM_ARGS;
    browser = await playwright.chromium.launch({executablePath, headless: true, args});
    const page = await browser.newPage();
    page.on('console', m => {
      if (m.text().startsWith('[bench]')) log(m.text());
    });
    page.on('pageerror', e => log(`[page error] ${e.message}`));
    await page.goto(
      `http://127.0.0.1:${server.address().port}/bench/page.html${backend === 'webgl' ? '' : `?backend=${backend}`}`,
    );
    await page.waitForFunction(() => window.benchReady || window.benchError, null, {timeout: 60000});
    const error = await page.evaluate(() => window.benchError);
    if (error) return {backend, error, meta: {chromium: browser.version()}};
    const result = await page.evaluate(opts => window.runBench(opts), {sizes, quick, only});
    result.meta = Object.assign({chromium: browser.version()}, await page.evaluate(() => window.benchMeta));
    return result;
  } catch (e) {
    return {backend, error: String((e && e.message) || e).split('\n')[0]};
  } finally {
    if (browser) await browser.close();
    server.close();
  }
}
