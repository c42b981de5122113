/**
 * The gallery page (npm run gallery → dist/gallery/) in headless Chromium,
 * served from its own folder: every activation of the definitions gets a
 * card and a plot, the ready flag is set, nothing is logged as an error and
 * nothing is fetched from outside the folder; a slider, a vector input and
 * the comparison picks redraw with the values of an independent float64
 * truth; the page fits a phone's width, works from file:// and falls back
 * to cpu without WebGL.
 * Also: the README's SVG plots are what the gallery code draws today.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {chromium, type Browser, type Page} from 'playwright-core';
import {CHROMIUM_ARGS, ROOT, chromiumPath, startServer} from './browser/harness';
import {definitions} from '../src/catalogue';

const DIR = join(ROOT, 'dist', 'gallery');

interface PlotData {
  x: number[];
  f: number[];
  df: number[];
  params: Record<string, unknown>;
  vector?: number[];
  output?: number[];
  overlay?: {x: number[]; f: number[]; df: number[]};
  detail?: {x: number[]; f: number[]; df: number[]};
}

let browser: Browser;
let page: Page;
let server: {url: string; close: () => Promise<void>};
const errors: string[] = [];
const outside: string[] = [];
let loadMs = 0;
let baseline = -1;

/** Float64 truth, written here from the textbook formulas (not from the package). */
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const TRUTH: Record<string, [(x: number) => number, (x: number) => number]> = {
  sigmoid: [sigmoid, x => sigmoid(x) * (1 - sigmoid(x))],
  tanh: [Math.tanh, x => 1 - Math.tanh(x) ** 2],
  softplus: [softplus, sigmoid],
  silu: [x => x * sigmoid(x), x => sigmoid(x) * (1 + x * (1 - sigmoid(x)))],
  mish: [
    x => x * Math.tanh(softplus(x)),
    x => Math.tanh(softplus(x)) + x * sigmoid(x) * (1 - Math.tanh(softplus(x)) ** 2),
  ],
  softsign: [x => x / (1 + Math.abs(x)), x => 1 / (1 + Math.abs(x)) ** 2],
  elu: [x => (x > 0 ? x : Math.expm1(x)), x => (x > 0 ? 1 : Math.exp(x))],
  leaky_relu: [x => (x >= 0 ? x : 0.2 * x), x => (x >= 0 ? 1 : 0.2)],
  hard_sigmoid: [x => Math.min(Math.max(x / 6 + 0.5, 0), 1), x => (Math.abs(x) < 3 ? 1 / 6 : 0)],
};
const squareplus = (b: number): [(x: number) => number, (x: number) => number] => [
  x => (x + Math.sqrt(x * x + b)) / 2,
  x => (1 + x / Math.sqrt(x * x + b)) / 2,
];

function expectClose(
  got: number[],
  xs: number[],
  want: (x: number) => number,
  what: string,
  skip?: (x: number) => boolean,
) {
  let worst = {err: 0, x: 0, got: 0, want: 0};
  xs.forEach((x, i) => {
    if (skip?.(x)) return;
    const w = want(x),
      err = Math.abs(got[i] - w) / (2e-6 + Math.abs(w));
    if (!(err <= worst.err)) worst = {err, x, got: got[i], want: w};
  });
  if (!(worst.err < 1e-4))
    throw new Error(`${what}: relative error ${worst.err} at x = ${worst.x} (got ${worst.got}, want ${worst.want})`);
}

const plotData = (name: string) =>
  page.evaluate(
    n => (document.querySelector(`[data-activation="${n}"]`) as HTMLElement & {plotData: unknown}).plotData,
    name,
  ) as Promise<PlotData>;

async function open(url: string, viewport = {width: 1200, height: 900}): Promise<Page> {
  const p = await browser.newPage({viewport});
  p.on('pageerror', e => errors.push(String(e)));
  p.on('console', m => {
    if (m.type() === 'error') errors.push(m.text());
  });
  p.on('request', r => {
    if (!r.url().startsWith(url.startsWith('file:') ? 'file:' : server.url) && !r.url().startsWith('data:'))
      outside.push(r.url());
  });
  const t0 = Date.now();
  await p.goto(url);
  await p.waitForFunction(() => document.body.dataset.ready === 'true', null, {timeout: 240000});
  loadMs = Date.now() - t0;
  return p;
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'gallery.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const executablePath = chromiumPath();
  server = await startServer(DIR); // the folder alone: anything outside it would 404
  browser = await chromium.launch({executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60000});
  page = await open(`${server.url}/index.html`);
  baseline = await page.evaluate(
    () => (window as unknown as {tf: {memory(): {numTensors: number}}}).tf.memory().numTensors,
  );
}, 300000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the folder holds the page and everything it loads', async () => {
  for (const f of ['index.html', 'gallery.js', 'gallery.css', 'tf.min.js', 'tfjs-activations.min.js']) {
    expect(existsSync(join(DIR, f))).toBe(true);
  }
  expect(outside).toEqual([]);
  // the page is not part of the published package
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const listing = JSON.parse(
    execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  const packed = (listing[0].files as Array<{path: string}>).map(f => f.path);
  expect(packed).toContain('dist/browser/tfjs-activations.min.js');
  expect(packed.filter(f => /^dist\/(gallery|docs)\//.test(f))).toEqual([]);
  // the stylesheet applied (served as text/css)
  expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).toBe('1400px');
});

test('every activation has a card and a plot, on webgl, with no console errors', async () => {
  expect(await page.evaluate(() => document.body.dataset.backend)).toBe('webgl');
  const names = await page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-activation]')).map(e => (e as HTMLElement).dataset.activation),
  );
  expect(names.sort()).toEqual(definitions.map(d => d.keras).sort());
  expect(names).toHaveLength(30);
  for (const d of definitions) {
    const card = await page.evaluate(n => {
      const fig = document.querySelector(`[data-activation="${n}"]`) as HTMLElement & {plotData: PlotData};
      const c = fig.closest('.card')!;
      const path = (cls: string) => fig.querySelector(`path.${cls}`)?.getAttribute('d') ?? '';
      return {
        text: c.textContent ?? '',
        f: path('f'),
        df: path('df'),
        n: fig.plotData.x.length,
        finite: fig.plotData.f.filter(Number.isFinite).length,
        error: !(c.querySelector('.error') as HTMLElement).hidden,
      };
    }, d.keras);
    expect(card.error).toBe(false);
    expect(typeof d.note).toBe('string');
    for (const s of [d.keras, d.id, d.formula, d.note!]) expect(card.text).toContain(s);
    for (const p of d.params) expect(card.text).toContain(p.keras);
    // one drawn point per finite value
    expect(card.n).toBe(201);
    expect(card.finite).toBe(201);
    expect((card.f.match(/[ML]/g) ?? []).length).toBe(201);
    expect((card.df.match(/[ML]/g) ?? []).length).toBeGreaterThan(150);
  }
  expect(errors).toEqual([]);
});

test('plots at the Keras defaults match the float64 truth', async () => {
  for (const [name, [f, df]] of Object.entries(TRUTH)) {
    const d = await plotData(name);
    expectClose(d.f, d.x, f, `${name} f`);
    expectClose(d.df, d.x, df, `${name} f′`, x => name === 'hard_sigmoid' && Math.abs(Math.abs(x) - 3) < 1e-6);
  }
  // tfjs's own hard_sigmoid, drawn over it, is the Keras 2 form
  const hs = (await plotData('hard_sigmoid')).overlay!;
  expectClose(hs.f, hs.x, x => Math.min(Math.max(0.2 * x + 0.5, 0), 1), 'tfjs hardSigmoid');
});

test("the elu and gelu details show where tfjs's own versions part from the float64 truth", async () => {
  const erfc = (z: number) => {
    // continued fraction for z > 2: the float64 tail without cancellation
    let t = 0;
    for (let k = 60; k >= 1; k--) t = k / 2 / (z + t);
    return Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + t);
  };
  const cases: Array<[string, (x: number) => number]> = [
    ['elu', Math.expm1],
    ['gelu', x => x * 0.5 * erfc(-x / Math.SQRT2)],
  ];
  for (const [name, truth] of cases) {
    const d = await plotData(name);
    expectClose(d.detail!.f, d.detail!.x, truth, `${name} near the detail`);
    // tfjs's own version is more than 10 % off somewhere on the same range
    const worst = Math.max(
      ...d.overlay!.f.map((y, i) => Math.abs(y - truth(d.overlay!.x[i])) / Math.abs(truth(d.overlay!.x[i]) || 1)),
    );
    expect(worst).toBeGreaterThan(0.1);
  }
});

test('a slider change redraws its plot with the new parameter', async () => {
  const before = await page.getAttribute('[data-activation="squareplus"] path.f', 'd');
  await page.focus('#p-squareplus-b');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight'); // 4 + 4 × 0.25
  await page.waitForFunction(
    () => (document.querySelector('[data-activation="squareplus"]') as HTMLElement).dataset.params === '{"b":5}',
    null,
    {timeout: 60000},
  );
  const d = await plotData('squareplus');
  expect(d.params).toEqual({b: 5});
  const [f, df] = squareplus(5);
  expectClose(d.f, d.x, f, 'squareplus(b = 5)');
  expectClose(d.df, d.x, df, 'squareplus′(b = 5)');
  expect(d.f[100]).toBeCloseTo(Math.sqrt(5) / 2, 5); // x = 0
  expect(await page.getAttribute('[data-activation="squareplus"] path.f', 'd')).not.toBe(before);
  expect(await page.inputValue('#p-squareplus-b + input')).toBe('5');
});

test("gelu's approximate checkbox redraws the tanh form; threshold starts from threshold 0, default_value -1", async () => {
  await page.check('#p-gelu-approximate');
  await page.waitForFunction(
    () => (document.querySelector('[data-activation="gelu"]') as HTMLElement).dataset.params === '{"approximate":true}',
    null,
    {timeout: 60000},
  );
  const c = Math.sqrt(2 / Math.PI),
    k = 0.044715;
  const t = (x: number) => Math.tanh(c * (x + k * x ** 3));
  const d = await plotData('gelu');
  expectClose(d.f, d.x, x => 0.5 * x * (1 + t(x)), 'gelu approximate');
  expectClose(
    d.df,
    d.x,
    x => 0.5 * (1 + t(x)) + 0.5 * x * (1 - t(x) ** 2) * c * (1 + 3 * k * x * x),
    'gelu′ approximate',
  );
  const th = await plotData('threshold');
  expect(th.params).toEqual({threshold: 0, defaultValue: -1});
  expectClose(th.f, th.x, x => (x > 0 ? x : -1), 'threshold');
  expect(await page.textContent('#act-threshold .defaults')).toContain(
    'threshold (required), default_value (required)',
  );
});

test("an axis activation's vector input redraws its output and its plot", async () => {
  await page.fill('#v-softmax-1', '3');
  await page.waitForFunction(
    () =>
      ((
        document.querySelector('[data-activation="softmax"]') as HTMLElement & {
          plotData: PlotData;
        }
      ).plotData.vector ?? [])[1] === 3,
    null,
    {timeout: 60000},
  );
  const d = await plotData('softmax');
  const v = d.vector!,
    e = v.map(Math.exp),
    s = e.reduce((a, b) => a + b, 0);
  d.output!.forEach((y, i) => expect(y).toBeCloseTo(e[i] / s, 6));
  const rest = v.slice(1).reduce((a, b) => a + Math.exp(b), 0);
  const y0 = (x: number) => Math.exp(x) / (Math.exp(x) + rest);
  expectClose(d.f, d.x, y0, 'softmax y0');
  expectClose(d.df, d.x, x => y0(x) * (1 - y0(x)), 'softmax ∂y0/∂x0');
  expect(await page.textContent('#act-softmax .vector-out')).toContain(String(Math.round((e[1] / s) * 1e4) / 1e4));
});

test('the comparison overlays the chosen activations', async () => {
  const chosen = () => page.evaluate(() => (document.querySelector('[data-comparison]') as HTMLElement).dataset.chosen);
  expect(await chosen()).toBe('gelu,mish,relu,silu,squareplus');
  await page.check('#cmp-tanh');
  await page.waitForFunction(() =>
    /tanh/.test((document.querySelector('[data-comparison]') as HTMLElement).dataset.chosen!),
  );
  expect(await chosen()).toBe('gelu,mish,relu,silu,squareplus,tanh');
  expect(await page.locator('[data-comparison] path.cmp').count()).toBe(6);
  await page.uncheck('#cmp-tanh');
  await page.waitForFunction(
    () => !/tanh/.test((document.querySelector('[data-comparison]') as HTMLElement).dataset.chosen!),
  );
});

test('redraws leak no tensors', async () => {
  // after the slider, checkbox, vector and comparison changes above, once their redraws are done
  await page.waitForFunction(
    b => (window as unknown as {tf: {memory(): {numTensors: number}}}).tf.memory().numTensors === b,
    baseline,
    {timeout: 30000},
  );
  expect(baseline).toBeGreaterThanOrEqual(0);
});

test('every control is labelled and reachable with the keyboard', async () => {
  const unlabelled = await page.evaluate(() =>
    Array.from(document.querySelectorAll('input'))
      .filter(i => !i.labels?.length && !i.getAttribute('aria-label'))
      .map(i => i.outerHTML),
  );
  expect(unlabelled).toEqual([]);
  const tabIndexed = await page.evaluate(
    () => Array.from(document.querySelectorAll('input')).filter(i => i.tabIndex < 0).length,
  );
  expect(tabIndexed).toBe(0);
  // from the top: the skip link first, then the controls in order with Tab alone
  await page.click('h1');
  await page.keyboard.press('Shift+Tab');
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab'); // the skip link leads to the first card's first control
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('p-celu-alpha');
  await page.click('h1');
  let presses = 0;
  while ((await page.evaluate(() => document.activeElement?.id)) !== 'p-celu-alpha' && presses < 120) {
    await page.keyboard.press('Tab');
    presses++;
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('p-celu-alpha');
});

test('readable at phone width: no horizontal scrolling', async () => {
  await page.setViewportSize({width: 360, height: 800});
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map(
        e =>
          `${e.tagName}.${e.getAttribute('class')}#${e.closest('[id]')?.id} ${Math.round(e.getBoundingClientRect().right)}`,
      )
      .slice(0, 5),
  );
  expect(wide).toEqual([]);
  expect(scroll).toBeLessThanOrEqual(inner);
  await page.setViewportSize({width: 1200, height: 900});
});

test('works offline from the folder through file://', async () => {
  const p = await open(pathToFileURL(join(DIR, 'index.html')).href);
  expect(await p.evaluate(() => document.querySelectorAll('[data-activation] svg').length)).toBe(30);
  console.log(
    `gallery: ready in ${loadMs} ms from file:// (page's own measure ${await p.evaluate(
      () => document.body.dataset.loadMs,
    )} ms)`,
  );
  await p.close();
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
}, 300000);

test('without WebGL the page falls back to cpu and draws the same plots', async () => {
  const p = await browser.newPage();
  const logged: string[] = [];
  p.on('pageerror', e => logged.push(String(e)));
  p.on('console', m => {
    if (m.type() === 'error') logged.push(m.text());
  });
  await p.addInitScript(() => {
    for (const C of [HTMLCanvasElement, OffscreenCanvas]) {
      const get = C.prototype.getContext as (this: unknown, type: string, ...rest: unknown[]) => unknown;
      (C.prototype as unknown as {getContext: unknown}).getContext = function (
        this: unknown,
        type: string,
        ...rest: unknown[]
      ) {
        return /webgl/.test(type) ? null : get.call(this, type, ...rest);
      };
    }
  });
  await p.goto(`${server.url}/index.html`);
  await p.waitForFunction(() => document.body.dataset.ready === 'true', null, {timeout: 120000});
  expect(await p.evaluate(() => document.body.dataset.backend)).toBe('cpu');
  expect(await p.evaluate(() => document.querySelectorAll('[data-activation] svg path[class="f"]').length)).toBe(30);
  const d = await p.evaluate(
    () =>
      (
        document.querySelector('[data-activation="squareplus"]') as HTMLElement & {
          plotData: PlotData;
        }
      ).plotData,
  );
  const [f, df] = squareplus(4);
  expectClose(d.f, d.x, f, 'squareplus on cpu');
  expectClose(d.df, d.x, df, 'squareplus′ on cpu');
  expect(logged).toEqual([]);
  await p.close();
});

test("the README's gallery images are what the gallery code draws", () => {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'gallery.mjs'), '--check-readme-images'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(out).toMatch(/up to date/);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const f of [
    'docs/images/gallery.png',
    'docs/images/gallery/squareplus.svg',
    'docs/images/gallery/comparison.svg',
  ]) {
    expect(readme).toContain(f);
    expect(existsSync(join(ROOT, f))).toBe(true);
  }
  expect(readme).toContain('npm run gallery -- --readme-images');
  expect(readme).toContain('(dist/gallery/index.html)');
  expect(readme).toContain('(dist/docs/index.html)');
});
