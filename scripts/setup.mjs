// Sets up whatever a fresh clone is missing, then returns quickly on later
// runs: node_modules (from the lockfile, install scripts off), the dist/
// build, tfjs-node's native addon built offline (see docs/tfjs-node-offline.md)
// and Debian's Chromium for the webgl suites. Uses only Node built-ins until
// node_modules exists.
import {execFileSync} from 'node:child_process';
import {existsSync, statSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = msg => console.log(`[setup] ${msg}`);

function mtime(p) {
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

function ensureNodeModules() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (
    mtime(installed) >= mtime(join(root, 'package-lock.json')) &&
    existsSync(join(root, 'node_modules', '.bin', 'jest'))
  )
    return;
  log('installing node_modules from package-lock.json (npm ci --ignore-scripts)');
  const npm = process.env.npm_execpath;
  const [cmd, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  execFileSync(cmd, [...args, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], {cwd: root, stdio: 'inherit'});
}

async function step(file, fn) {
  const mod = await import(pathToFileURL(join(root, 'scripts', 'setup', file)).href);
  await mod[fn]({log});
}

const started = Date.now();
ensureNodeModules();
await step('wasm-toolchain.mjs', 'ensureWasmToolchain');
const {buildPackage} = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
await buildPackage({log});
await step('tfjs-node.mjs', 'ensureTfjsNode');
await step('native-ops.mjs', 'ensureNativeOps');
await step('chromium.mjs', 'ensureChromium');
await step('keras-zoo.mjs', 'ensureKerasZoo');
if (Date.now() - started > 2000) log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
