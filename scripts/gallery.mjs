// Builds the gallery page into dist/gallery/ (index.html, its script and
// style, tf.min.js and the package's browser bundle: the folder works offline
// and from file://).
//
//   npm run gallery                          build dist/gallery/
//   npm run gallery -- --readme-images       also rewrite the README's images (docs/images/gallery/*.svg
//                                            from the gallery's code on cpu, docs/images/gallery.png, a
//                                            screenshot of the page in headless Chromium)
//   npm run gallery -- --check-readme-images exit 1 when the committed SVGs differ from a fresh run
import {build} from 'esbuild';
import {copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {execFileSync} from 'node:child_process';
import {buildPackage} from './build.mjs';
import {CHROMIUM_ARGS} from './setup/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'gallery');
const images = join(root, 'docs', 'images', 'gallery');
const require = createRequire(import.meta.url);

export async function buildGallery({log = console.log} = {}) {
  await buildPackage({log});
  mkdirSync(out, {recursive: true});
  await build({
    entryPoints: [join(root, 'gallery', 'app.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    outfile: join(out, 'gallery.js'),
  });
  for (const f of ['index.html', 'gallery.css']) copyFileSync(join(root, 'gallery', f), join(out, f));
  copyFileSync(join(root, 'node_modules', '@tensorflow', 'tfjs', 'dist', 'tf.min.js'), join(out, 'tf.min.js'));
  copyFileSync(join(root, 'dist', 'browser', 'tfjs-activations.min.js'), join(out, 'tfjs-activations.min.js'));
  const files = ['index.html', 'gallery.css', 'gallery.js', 'tf.min.js', 'tfjs-activations.min.js'];
  const bytes = Object.fromEntries(files.map(f => [f, statSync(join(out, f)).size]));
  log(
    `gallery: dist/gallery/index.html (${files.length} files, ${Object.values(bytes).reduce((a, b) => a + b, 0)} bytes)`,
  );
  return {dir: out, bytes};
}

/** The README's SVG plots from a fresh run: file name → text. */
export async function readmeSvgs() {
  // bundled into node_modules/.cache so that its tfjs imports resolve to the project's copies
  const tools = join(root, 'node_modules', '.cache', 'tfjs-activations-gallery', 'readme.cjs');
  await build({
    entryPoints: [join(root, 'gallery', 'readme.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['@tensorflow/*'],
    logLevel: 'warning',
    outfile: tools,
  });
  delete require.cache[tools];
  return require(tools).readmeImages();
}

/** Loads the built page in headless Chromium and writes a PNG of its top. */
async function screenshot(file) {
  const {chromium} = require('playwright-core');
  const exe = execFileSync(process.execPath, [join(root, 'scripts', 'setup', 'chromium.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  const browser = await chromium.launch({executablePath: exe, headless: true, args: [...CHROMIUM_ARGS]});
  try {
    const page = await browser.newPage({viewport: {width: 1100, height: 1400}});
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {timeout: 300000});
    await page.screenshot({path: file, clip: {x: 0, y: 0, width: 1100, height: 1400}});
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--check-readme-images')) {
    const svgs = await readmeSvgs();
    const drift = Object.entries(svgs).filter(
      ([f, text]) => !existsSync(join(images, f)) || readFileSync(join(images, f), 'utf8') !== text,
    );
    if (drift.length) {
      console.error(
        `README images out of date: ${drift.map(([f]) => f).join(', ')}; ` + 'run npm run gallery -- --readme-images',
      );
      process.exit(1);
    }
    console.log(`README images up to date (${Object.keys(svgs).length} SVG files)`);
  } else {
    await buildGallery();
    if (args.includes('--readme-images')) {
      mkdirSync(images, {recursive: true});
      for (const [f, text] of Object.entries(await readmeSvgs())) writeFileSync(join(images, f), text);
      await screenshot(join(root, 'docs', 'images', 'gallery.png'));
      console.log('gallery: wrote docs/images/gallery/*.svg and docs/images/gallery.png');
    }
  }
}
