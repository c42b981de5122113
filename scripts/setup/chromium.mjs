// Makes a headless Chromium available for the browser (WebGL) test suites.
//
// Uses Debian's `chromium` package, never a browser download: the browser
// suites drive it through playwright-core with an explicit executablePath.
// Idempotent and fast once done: when the executable exists and a headless
// launch was verified for this exact binary (a stamp keyed on its size and
// mtime), it returns at once. Otherwise it installs the package with apt-get
// (running `apt-get update` first only when the package is unknown or the
// install fails for lack of a fresh list) and verifies that
// `chromium --headless --dump-dom` renders a page.
//
//   node scripts/setup/chromium.mjs             # run directly, prints the path
//   import {ensureChromium} from './setup/chromium.mjs';
//   const executablePath = await ensureChromium({log: console.log});
//
// Environment:
//   CHROMIUM_PATH                use this executable instead of Debian's (no install)
//   TFJS_ACTIVATIONS_CACHE_DIR   cache root for the stamp (default
//                                $XDG_CACHE_HOME/tfjs-activations or ~/.cache/tfjs-activations)
//   CHROMIUM_SETUP_FORCE=1       re-verify even when stamped

import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** Where Debian's package puts the launcher. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for headless Chromium on this kind of machine (see the spec). */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
]);

/** Extra flags for WebGPU on SwiftShader's Vulkan (without the ANGLE one, results read back as zeros). */
export const WEBGPU_ARGS = Object.freeze([
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
]);

function cacheDir() {
  if (process.env.TFJS_ACTIVATIONS_CACHE_DIR) return process.env.TFJS_ACTIVATIONS_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tfjs-activations');
}

function run(cmd, args, {timeoutMs = 600000, env} = {}) {
  return new Promise(resolve => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env});
    } catch (e) {
      resolve({code: -1, out: String(e)});
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', d => {
      out += d;
    });
    child.stderr.on('data', d => {
      out += d;
    });
    child.on('error', e => {
      clearTimeout(timer);
      resolve({code: -1, out: out + String(e)});
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({code, out});
    });
  });
}

function identity(exe) {
  try {
    const st = fs.statSync(fs.realpathSync(exe));
    return `${fs.realpathSync(exe)}:${st.size}:${Math.floor(st.mtimeMs)}`;
  } catch {
    return null;
  }
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function aptInstall(log) {
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  const asRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  const apt = async args => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    return run(cmd, rest, {env, timeoutMs: 15 * 60 * 1000});
  };
  const install = () => apt(['install', '-y', '--no-install-recommends', 'chromium']);
  // Try without refreshing the lists first: fast when they are recent enough.
  const known = await run('apt-cache', ['policy', 'chromium'], {env});
  const candidate = /Candidate:\s*(\S+)/.exec(known.out);
  if (candidate && candidate[1] !== '(none)') {
    log('chromium: apt-get install chromium');
    const r = await install();
    if (r.code === 0) return;
    log('chromium: install failed, refreshing package lists');
  }
  log('chromium: apt-get update');
  const u = await apt(['update']);
  if (u.code !== 0) throw new Error(`apt-get update failed (exit ${u.code}):\n${u.out.slice(-2000)}`);
  log('chromium: apt-get install chromium');
  const r = await install();
  if (r.code !== 0) throw new Error(`apt-get install chromium failed (exit ${r.code}):\n${r.out.slice(-2000)}`);
}

/** Launches the browser headless on an inline page and checks it rendered. */
async function verify(exe) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tfa-chromium-'));
  try {
    const page = 'data:text/html,<p id=ok>chromium-headless-ok</p>';
    const r = await run(
      exe,
      ['--headless', ...CHROMIUM_ARGS, '--disable-gpu', `--user-data-dir=${profile}`, '--dump-dom', page],
      {timeoutMs: 60000},
    );
    if (!r.out.includes('chromium-headless-ok')) {
      throw new Error(`${exe} did not render a page headless (exit ${r.code}):\n${r.out.slice(-2000)}`);
    }
  } finally {
    fs.rmSync(profile, {recursive: true, force: true});
  }
}

/**
 * Returns the path of a Chromium that launches headless, installing Debian's
 * package when needed.
 */
export async function ensureChromium({log = () => {}} = {}) {
  const exe = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  const stamp = path.join(cacheDir(), 'chromium.ok');
  const force = process.env.CHROMIUM_SETUP_FORCE === '1';
  if (!force && isExecutable(exe)) {
    const id = identity(exe);
    try {
      if (id !== null && fs.readFileSync(stamp, 'utf8').trim() === id) return exe;
    } catch {
      /* no stamp yet */
    }
  }
  if (!isExecutable(exe)) {
    if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH=${exe} is not an executable`);
    if (process.platform !== 'linux') throw new Error(`no Chromium at ${exe}; set CHROMIUM_PATH`);
    await aptInstall(log);
    if (!isExecutable(exe)) throw new Error(`apt-get installed chromium but ${exe} is missing`);
  }
  log(`chromium: verifying ${exe} headless`);
  await verify(exe);
  fs.mkdirSync(path.dirname(stamp), {recursive: true});
  fs.writeFileSync(stamp, identity(exe) + '\n');
  return exe;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const exe = await ensureChromium({log: m => console.error(m)});
  console.log(exe);
}
