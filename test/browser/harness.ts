/**
 * Browser harness for the webgl suites: a static HTTP server on 127.0.0.1
 * (random port) serving the repository root, Debian's Chromium driven by
 * playwright-core (never a browser download), and a page that loads
 * tf.min.js, the browser bundle and the in-page suite (test/browser/suite.ts,
 * bundled into .cache/browser/suite.js) with the 'webgl'
 * backend on SwiftShader (WebGL 2, float32 textures).
 *
 * Everything that can fail here throws: a suite that cannot start its
 * browser fails, it does not skip.
 */
import {execFileSync} from 'node:child_process';
import {createReadStream, existsSync, statSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {extname, join, normalize, sep} from 'node:path';
import {buildSync} from 'esbuild';
import {chromium, type Browser, type Page} from 'playwright-core';

export const ROOT = join(__dirname, '..', '..');

/** Chromium flags: software WebGL through ANGLE on SwiftShader, no network chatter. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * Extra flags for WebGPU in headless Chromium: Vulkan on SwiftShader (and
 * ANGLE on SwiftShader: without it, results read back as zeros).
 */
export const WEBGPU_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** Serves files under `root` on 127.0.0.1 with a random port. */
export async function startServer(
  root = ROOT,
  headers: Record<string, string> = {},
): Promise<{url: string; close: () => Promise<void>}> {
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!(path === root || path.startsWith(root + sep)) || !existsSync(path) || statSync(path).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...headers,
    });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** Builds dist/ (a no-op when it is up to date): the page loads the browser bundle. */
export function buildBrowserBundle(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const bundle = join(ROOT, 'dist', 'browser', 'tfjs-activations.min.js');
  if (!existsSync(bundle)) throw new Error(`npm run build did not write ${bundle}`);
  buildSuite();
}

/** Where the page loads the in-page suite from (built from suite.ts). */
export const SUITE_BUNDLE = join(ROOT, '.cache', 'browser', 'suite.js');

/**
 * Bundles test/browser/suite.ts for the page (esbuild): it shares the
 * float32 helpers, layouts and variants with the Node suites, and uses the
 * page's globals `tf` and `tfa` (it imports only their types).
 */
export function buildSuite(): void {
  buildSync({
    entryPoints: [join(__dirname, 'suite.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2019',
    outfile: SUITE_BUNDLE,
    logLevel: 'warning',
    sourcemap: 'inline',
  });
}

/** Path of a Chromium that launches headless (installs Debian's package when missing). */
export function chromiumPath(): string {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'setup', 'chromium.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const path = out.trim().split('\n').pop() ?? '';
  if (!path || !existsSync(path))
    throw new Error(`scripts/setup/chromium.mjs gave no executable (${JSON.stringify(out)})`);
  return path;
}

export interface PageInfo {
  backend: string;
  /** webgpu: the adapter's description (SwiftShader). */
  adapter?: string;
  webglVersion: number;
  float32: boolean;
  renderer: string;
  packUnary: boolean;
  activations: number;
}

export interface Session {
  browser: Browser;
  page: Page;
  url: string;
  info: PageInfo;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Starts the server and the browser and opens the test page with the
 * webgl backend (default; checks that it is WebGL 2 on SwiftShader with
 * float32 render targets) or the webgpu backend (WebGPU on SwiftShader's
 * Vulkan, `WEBGPU_ARGS`).
 */
/** A cross-origin isolated page (SharedArrayBuffer, so tfjs-backend-wasm loads its threaded build). */
export const ISOLATED = {'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp'};

export async function openSession(
  options: {page?: string; backend?: string; headers?: Record<string, string>} = {},
): Promise<Session> {
  const backend = options.backend ?? 'webgl';
  buildBrowserBundle();
  const executablePath = chromiumPath();
  const server = await startServer(ROOT, options.headers);
  let browser: Browser | undefined;
  try {
    const args = backend === 'webgpu' ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : CHROMIUM_ARGS;
    browser = await chromium.launch({executablePath, headless: true, args, timeout: 60000});
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(String(e)));
    page.on('console', m => {
      if (m.type() === 'error' && !/favicon/.test(m.location().url ?? '')) errors.push(m.text());
    });
    await page.goto(
      `${server.url}/test/browser/${options.page ?? 'page.html'}${backend === 'webgpu' ? '?backend=webgpu' : ''}`,
    );
    await page.waitForFunction(
      () =>
        (window as unknown as {ready?: boolean; readyError?: string}).ready === true ||
        (window as unknown as {readyError?: string}).readyError !== undefined,
      null,
      {timeout: 60000},
    );
    const readyError = await page.evaluate(() => (window as unknown as {readyError?: string}).readyError);
    if (readyError) throw new Error(`the test page could not start tfjs on ${backend}: ${readyError}`);
    const info = await page.evaluate(() => (window as unknown as {tfaSuite: {info(): PageInfo}}).tfaSuite.info());
    if (info.backend !== backend) throw new Error(`expected the ${backend} backend, got ${JSON.stringify(info)}`);
    if (backend === 'webgl' && (info.webglVersion !== 2 || !info.float32 || !/SwiftShader/i.test(info.renderer))) {
      throw new Error(`expected webgl on WebGL 2 / SwiftShader with float32 textures, got ${JSON.stringify(info)}`);
    }
    const b = browser;
    return {
      browser: b,
      page,
      url: server.url,
      info,
      errors,
      close: async () => {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw e;
  }
}

/** Calls `window.tfaSuite[name](arg)` in the page. */
export function suite<T>(s: Session, name: string, arg?: unknown): Promise<T> {
  return s.page.evaluate(
    ([n, a]) => {
      const fn = (window as unknown as {tfaSuite: Record<string, (x?: unknown) => unknown>}).tfaSuite[n as string];
      return fn(a) as T;
    },
    [name, arg] as const,
  ) as Promise<T>;
}
