// Makes @tensorflow/tfjs-node work without its install script.
//
// tfjs-node 4.22's install script downloads libtensorflow 2.9.1 from a host
// that no longer serves it (HTTP 403, tensorflow/tfjs#8742). This module takes
// the TensorFlow C library from the official `tensorflow-cpu` wheel on PyPI
// instead (pinned version, verified sha256), lays it out the way tfjs-node's
// binding.gyp expects (deps/lib, deps/include), builds the N-API addon with the
// node-gyp that ships inside npm against the machine's own Node headers, and
// checks that the 'tensorflow' backend loads and computes.
//
// Only Node built-ins are used. Needs: python3 with pip, a C++ toolchain
// (g++, make), Node's headers (shipped with the nodejs package) and npm.
//
//   node scripts/setup/tfjs-node.mjs            # run directly
//   import {ensureTfjsNode} from './setup/tfjs-node.mjs'; await ensureTfjsNode();
//
// Environment:
//   TFJS_ACTIVATIONS_CACHE_DIR  cache root (default $XDG_CACHE_HOME/tfjs-activations
//                               or ~/.cache/tfjs-activations)
//   TFJS_NODE_SETUP_FORCE=1     redo the install and build even if stamped done
//   npm_config_nodedir          Node headers dir (default: found next to node)
//   npm_config_node_gyp         node-gyp.js to use (default: the one inside npm)

import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

/** The wheel the C library comes from. Bump RECIPE when the layout changes. */
export const TF_WHEEL = Object.freeze({
  project: 'tensorflow-cpu',
  version: '2.21.0',
  file: 'tensorflow_cpu-2.21.0-cp311-cp311-manylinux_2_27_x86_64.whl',
  sha256: '2b847d217b02ee7731ed91431daf3250daa0196c3c94614d23be27232e6e5b6c',
  // Ask pip for exactly this file whatever the local Python is: the C library
  // inside does not depend on Python.
  pipTarget: [
    '--platform',
    'manylinux_2_27_x86_64',
    '--python-version',
    '3.11',
    '--implementation',
    'cp',
    '--abi',
    'cp311',
  ],
});
const RECIPE = 1;

// What tfjs-node expects (scripts/deps-constants.js, binding.gyp).
const LIBTENSORFLOW_VERSION = '2.9.1';
const LIB_CC = 'libtensorflow_cc.so.2';
const LIB_FW = 'libtensorflow_framework.so.2';
// Names in deps/lib -> the wheel library they stand for. binding.gyp links with
// -ltensorflow -ltensorflow_framework and an rpath of $ORIGIN/../../deps/lib;
// the addon then records the sonames (libtensorflow_cc.so.2,
// libtensorflow_framework.so.2) as NEEDED, which sit in deps/lib as real files.
const LIB_ALIASES = {
  [`libtensorflow.so.${LIBTENSORFLOW_VERSION}`]: LIB_CC,
  [`libtensorflow_framework.so.${LIBTENSORFLOW_VERSION}`]: LIB_FW,
  'libtensorflow.so.2': LIB_CC,
  'libtensorflow.so': LIB_CC,
  'libtensorflow_framework.so': LIB_FW,
};
// Header trees the binding needs (tensorflow/c and what it includes).
const INCLUDE_PREFIXES = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/platform/', 'xla/tsl/c/'];

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(HERE, '..', '..');
export const STAMP_NAME = '.tfjs-activations-stamp.json';

// ---------------------------------------------------------------- helpers

function fail(msg, cause) {
  const err = new Error(`[tfjs-node setup] ${msg}`);
  if (cause) err.cause = cause;
  return err;
}

export function exists(p) {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function readJson(p) {
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8'));
  } catch {
    return null;
  }
}

export function secs(t0) {
  return `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/**
 * Runs a command; resolves {code, out} with stdout+stderr captured (the last
 * part only), or appends everything to logFile when given.
 */
export function run(cmd, args, {cwd, env, logFile, input} = {}) {
  return new Promise((resolve, reject) => {
    let out = '';
    const logFd = logFile ? fs.openSync(logFile, 'a') : null;
    if (logFd !== null) fs.writeSync(logFd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, {
      cwd,
      env: env || process.env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const onData = d => {
      out += d.toString();
      if (out.length > 200000) out = out.slice(-100000);
      if (logFd !== null) fs.writeSync(logFd, d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (input !== undefined) child.stdin.end(input);
    child.on('error', e => {
      if (logFd !== null) fs.closeSync(logFd);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (logFd !== null) fs.closeSync(logFd);
      resolve({code: code ?? 128, signal, out});
    });
  });
}

export function tail(text, n = 30) {
  return text.trim().split('\n').slice(-n).join('\n');
}

export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file)
      .on('error', reject)
      .on('data', d => h.update(d))
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** Hard link when possible (same file system), else copy. */
function linkOrCopy(src, dest) {
  fs.rmSync(dest, {force: true});
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest, fs.constants.COPYFILE_FICLONE);
  }
}

export function cacheRoot() {
  if (process.env.TFJS_ACTIVATIONS_CACHE_DIR) {
    return path.resolve(process.env.TFJS_ACTIVATIONS_CACHE_DIR);
  }
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tfjs-activations');
}

export function findTfjsNodeDir() {
  // Resolve from the project, without require() (no CJS here).
  let dir = PROJECT_ROOT;
  for (;;) {
    const cand = path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    if (exists(path.join(cand, 'package.json'))) return cand;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw fail('@tensorflow/tfjs-node is not installed: run `npm ci` first.');
}

/** Where @mapbox/node-pre-gyp (tfjs-node's loader) looks for the addon. */
function addonTarget(tfjsNodeDir, pkg) {
  const bin = pkg.binary || {};
  const have = Number(process.versions.napi || 0);
  const versions = (bin.napi_versions || []).map(Number).filter(v => v <= have);
  if (!versions.length) {
    throw fail(
      `this Node (N-API ${have}) is older than any N-API version ` +
        `tfjs-node supports (${(bin.napi_versions || []).join(', ')}).`,
    );
  }
  const napi = Math.max(...versions);
  const modulePath = path.resolve(
    tfjsNodeDir,
    (bin.module_path || './lib/napi-v{napi_build_version}').replace('{napi_build_version}', String(napi)),
  );
  const moduleName = bin.module_name || 'tfjs_binding';
  return {napi, moduleName, modulePath, file: path.join(modulePath, `${moduleName}.node`)};
}

function stampWanted(target, tfjsNodePkg) {
  return {
    recipe: RECIPE,
    wheel: `${TF_WHEEL.project}==${TF_WHEEL.version}`,
    sha256: TF_WHEEL.sha256,
    tfjsNode: tfjsNodePkg.version,
    napi: target.napi,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Cheap check (no process spawned): is everything still in place? */
function isDone(tfjsNodeDir, target, want) {
  const stamp = readJson(path.join(tfjsNodeDir, 'deps', STAMP_NAME));
  if (!stamp) return false;
  for (const k of Object.keys(want)) {
    if (stamp[k] !== want[k]) return false;
  }
  const lib = path.join(tfjsNodeDir, 'deps', 'lib');
  try {
    if (fs.statSync(target.file).size !== stamp.addonSize) return false;
    if (fs.statSync(path.join(lib, LIB_CC)).size !== stamp.libSizes?.[LIB_CC]) return false;
    if (fs.statSync(path.join(lib, LIB_FW)).size !== stamp.libSizes?.[LIB_FW]) return false;
    for (const alias of Object.keys(LIB_ALIASES)) fs.statSync(path.join(lib, alias));
    fs.statSync(path.join(tfjsNodeDir, 'deps', 'include', 'tensorflow', 'c', 'c_api.h'));
  } catch {
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- locking

function sleep(ms) {
  return new Promise(r => setTimeout(r, ms));
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A directory lock, so two setups at once don't build over each other. */
export async function acquireLock(lockDir, log) {
  const deadline = Date.now() + 30 * 60 * 1000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, {recursive: true, force: true});
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const pid = Number(readPid(lockDir));
    let age;
    try {
      age = Date.now() - fs.statSync(lockDir).mtimeMs;
    } catch {
      continue;
    }
    if ((pid && !pidAlive(pid)) || (!pid && age > 60000)) {
      fs.rmSync(lockDir, {recursive: true, force: true});
      continue;
    }
    if (Date.now() > deadline) throw fail(`timed out waiting for lock ${lockDir}`);
    if (!told) {
      log(`tfjs-node: waiting for another setup (pid ${pid || '?'}) to finish...`);
      told = true;
    }
    await sleep(1000);
  }
}

function readPid(lockDir) {
  try {
    return fs.readFileSync(path.join(lockDir, 'pid'), 'utf8').trim();
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- step 1: the wheel

export async function findPython() {
  const cands = [process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  for (const py of cands) {
    try {
      const r = await run(py, ['-m', 'pip', '--version']);
      if (r.code === 0) return py;
    } catch {
      // not found; try the next one
    }
  }
  throw fail(
    'no Python with pip found (tried ' +
      cands.join(', ') +
      '): pip downloads the tensorflow-cpu wheel. Install python3 and python3-pip.',
  );
}

// Runs inside python3: copies the libraries and the needed headers out of the
// wheel (a zip) into DEST/lib and DEST/include.
const EXTRACT_PY = `
import json, os, shutil, sys, zipfile
wheel, dest, libs, prefixes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
os.makedirs(os.path.join(dest, 'lib'))
for lib in libs:
    member = 'tensorflow/' + lib
    if member not in names:
        sys.exit('missing in wheel: ' + member)
    with z.open(member) as src, open(os.path.join(dest, 'lib', lib), 'wb') as out:
        shutil.copyfileobj(src, out, 1 << 22)
count = 0
for member in sorted(names):
    rel = member[len('tensorflow/include/'):] if member.startswith('tensorflow/include/') else None
    if not rel or member.endswith('/') or not any(rel.startswith(p) for p in prefixes):
        continue
    out_path = os.path.join(dest, 'include', *rel.split('/'))
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with z.open(member) as src, open(out_path, 'wb') as out:
        shutil.copyfileobj(src, out)
    count += 1
if not os.path.exists(os.path.join(dest, 'include', 'tensorflow', 'c', 'c_api.h')):
    sys.exit('no tensorflow/c/c_api.h in the wheel')
print(count)
`;

/**
 * Downloads the pinned wheel with pip into `work`/download, hash-checked
 * (--require-hashes) and for this platform; returns pip's result, the
 * folder and the wheel's path (which exists when pip succeeded).
 */
export async function pipDownloadWheel(py, work) {
  const req = path.join(work, 'requirements.txt');
  fs.writeFileSync(req, `${TF_WHEEL.project}==${TF_WHEEL.version} --hash=sha256:${TF_WHEEL.sha256}\n`);
  const dl = path.join(work, 'download');
  const r = await run(py, [
    '-m',
    'pip',
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--require-hashes',
    '--no-input',
    '--disable-pip-version-check',
    '--no-cache-dir',
    ...TF_WHEEL.pipTarget,
    '-r',
    req,
    '-d',
    dl,
  ]);
  return {r, dl, wheel: path.join(dl, TF_WHEEL.file)};
}

/**
 * Returns a cache dir holding lib/{libtensorflow_cc.so.2,
 * libtensorflow_framework.so.2} and include/, downloading and extracting the
 * pinned wheel the first time.
 */
async function ensureLibtensorflowCache(log) {
  const root = cacheRoot();
  const dir = path.join(root, `libtensorflow-${TF_WHEEL.version}-${TF_WHEEL.sha256.slice(0, 12)}`);
  const marker = path.join(dir, '.complete');
  const good = () => {
    const m = readJson(marker);
    return (
      m &&
      m.sha256 === TF_WHEEL.sha256 &&
      exists(path.join(dir, 'lib', LIB_CC)) &&
      exists(path.join(dir, 'lib', LIB_FW)) &&
      exists(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h'))
    );
  };
  if (good()) {
    log(`tfjs-node: using cached ${TF_WHEEL.project} ${TF_WHEEL.version} C library`);
    return dir;
  }
  fs.mkdirSync(root, {recursive: true});
  const work = fs.mkdtempSync(path.join(root, '.tmp-'));
  try {
    const py = await findPython();
    log(`tfjs-node: downloading ${TF_WHEEL.file} with pip (~270 MB)...`);
    let t0 = Date.now();
    const {r, dl, wheel} = await pipDownloadWheel(py, work);
    if (r.code !== 0) {
      throw fail(`pip could not download ${TF_WHEEL.project}==${TF_WHEEL.version}:\n${tail(r.out)}`);
    }
    if (!exists(wheel)) {
      throw fail(`pip did not produce ${TF_WHEEL.file} (got: ${fs.readdirSync(dl).join(', ')})`);
    }
    const sum = await sha256File(wheel);
    if (sum !== TF_WHEEL.sha256) {
      throw fail(`sha256 mismatch for ${TF_WHEEL.file}: got ${sum}, want ${TF_WHEEL.sha256}`);
    }
    log(`tfjs-node: downloaded and verified sha256 in ${secs(t0)}; extracting...`);
    t0 = Date.now();
    const stage = path.join(work, 'stage');
    const x = await run(py, [
      '-c',
      EXTRACT_PY,
      wheel,
      stage,
      JSON.stringify([LIB_CC, LIB_FW]),
      JSON.stringify(INCLUDE_PREFIXES),
    ]);
    if (x.code !== 0) throw fail(`extracting ${TF_WHEEL.file} failed:\n${tail(x.out)}`);
    fs.writeFileSync(
      path.join(stage, '.complete'),
      JSON.stringify(
        {
          wheel: TF_WHEEL.file,
          sha256: TF_WHEEL.sha256,
          extracted: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    fs.rmSync(dir, {recursive: true, force: true});
    try {
      fs.renameSync(stage, dir);
    } catch (e) {
      // Another process may have finished first; use its result if sound.
      if (!good()) throw e;
    }
    log(`tfjs-node: extracted the C library and ${x.out.trim()} headers in ${secs(t0)}`);
  } finally {
    fs.rmSync(work, {recursive: true, force: true});
  }
  if (!good()) throw fail(`cache ${dir} is incomplete after extraction`);
  return dir;
}

// ---------------------------------------------------------------- step 2: deps/

function installDeps(tfjsNodeDir, cacheDir) {
  const deps = path.join(tfjsNodeDir, 'deps');
  fs.rmSync(deps, {recursive: true, force: true});
  const lib = path.join(deps, 'lib');
  fs.mkdirSync(lib, {recursive: true});
  for (const name of [LIB_CC, LIB_FW]) {
    linkOrCopy(path.join(cacheDir, 'lib', name), path.join(lib, name));
  }
  for (const [alias, real] of Object.entries(LIB_ALIASES)) {
    fs.symlinkSync(real, path.join(lib, alias));
  }
  fs.cpSync(path.join(cacheDir, 'include'), path.join(deps, 'include'), {recursive: true});
}

// ---------------------------------------------------------------- step 3: build

function findNodeGyp() {
  const cands = [];
  if (process.env.npm_config_node_gyp) cands.push(process.env.npm_config_node_gyp);
  // npm_execpath points at npm-cli.js when run through npm.
  if (process.env.npm_execpath) {
    cands.push(
      path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  // A node-gyp in the project itself, if someone added one.
  cands.push(path.join(PROJECT_ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  // npm installed next to this node binary (global prefix layouts).
  const prefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  for (const libDir of ['lib/node_modules', 'node_modules']) {
    cands.push(path.join(prefix, libDir, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  if (process.env.npm_config_prefix) {
    cands.push(
      path.join(
        process.env.npm_config_prefix,
        'lib',
        'node_modules',
        'npm',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    );
  }
  for (const c of cands) {
    if (c && exists(c)) return path.resolve(c);
  }
  return null;
}

async function findNodeGypViaNpm() {
  // Last resort: ask npm where its global root is.
  try {
    const r = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['root', '-g']);
    if (r.code === 0) {
      const root = r.out.trim().split('\n').pop();
      const c = path.join(root, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
      if (exists(c)) return c;
    }
  } catch {
    // npm not on PATH
  }
  return null;
}

/** A dir D with D/include/node/node_api.h and common.gypi (node-gyp --nodedir). */
export function findNodeDir() {
  const cands = [];
  if (process.env.npm_config_nodedir) cands.push(process.env.npm_config_nodedir);
  const prefix = process.config?.variables?.node_prefix;
  if (prefix) cands.push(prefix);
  cands.push(path.dirname(path.dirname(fs.realpathSync(process.execPath))));
  cands.push(path.dirname(path.dirname(process.execPath)));
  const ok = d =>
    exists(path.join(d, 'include', 'node', 'node_api.h')) && exists(path.join(d, 'include', 'node', 'common.gypi'));
  const found = cands.filter(ok).map(d => path.resolve(d));
  if (!found.length) return null;
  // Prefer headers of exactly this Node version.
  const versionOf = d => {
    try {
      const h = fs.readFileSync(path.join(d, 'include', 'node', 'node_version.h'), 'utf8');
      const m = k => (h.match(new RegExp(`#define NODE_${k}_VERSION (\\d+)`)) || [])[1];
      return `v${m('MAJOR')}.${m('MINOR')}.${m('PATCH')}`;
    } catch {
      return '';
    }
  };
  return found.find(d => versionOf(d) === process.version) || found[0];
}

async function buildAddon(tfjsNodeDir, target, logFile, log) {
  const nodeGyp = findNodeGyp() || (await findNodeGypViaNpm());
  if (!nodeGyp) {
    throw fail(
      'node-gyp not found. It ships inside npm; set npm_config_node_gyp ' +
        'to its bin/node-gyp.js, or add node-gyp to devDependencies.',
    );
  }
  const nodeDir = findNodeDir();
  if (!nodeDir) {
    throw fail(
      'Node headers not found (need <dir>/include/node/node_api.h and ' +
        'common.gypi next to the node binary). They ship with the nodejs package; ' +
        'or set npm_config_nodedir to a Node source/headers dir.',
    );
  }
  log(`tfjs-node: building tfjs_binding.node (N-API ${target.napi}) with node-gyp...`);
  const t0 = Date.now();
  const env = {...process.env};
  // Keep an outer npm's settings (e.g. a different target) out of this build.
  for (const k of Object.keys(env)) {
    if (/^npm_config_(target|runtime|dist_url|disturl|arch|target_arch)$/i.test(k)) delete env[k];
  }
  const args = [
    nodeGyp,
    'rebuild',
    `--nodedir=${nodeDir}`,
    '--jobs=max',
    `--module_name=${target.moduleName}`,
    `--module_path=${target.modulePath}`,
    `--napi_build_version=${target.napi}`,
  ];
  const r = await run(process.execPath, args, {cwd: tfjsNodeDir, env, logFile});
  if (r.code !== 0 || !exists(target.file)) {
    throw fail(`node-gyp build failed (exit ${r.code}); full log: ${logFile}\n${tail(r.out, 40)}`);
  }
  log(`tfjs-node: built in ${secs(t0)}`);
}

// ---------------------------------------------------------------- step 4: verify

const VERIFY_JS = `
const tf = require('@tensorflow/tfjs-node');
const backend = tf.getBackend();
const sum = Array.from(tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30])).dataSync());
process.stdout.write('\\nTFJS_NODE_VERIFY ' + JSON.stringify({
  backend, sum, tf: tf.backend().binding.TF_Version, tfjsNode: tf.version['tfjs-node'],
}) + '\\n');
`;

async function verify(log) {
  const env = {...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL || '2'};
  const r = await run(process.execPath, ['-e', VERIFY_JS], {cwd: PROJECT_ROOT, env});
  const line = r.out.split('\n').find(l => l.startsWith('TFJS_NODE_VERIFY '));
  const res = line ? JSON.parse(line.slice('TFJS_NODE_VERIFY '.length)) : null;
  if (r.code !== 0 || !res) {
    throw fail(`loading @tensorflow/tfjs-node failed (exit ${r.code}):\n${tail(r.out)}`);
  }
  if (res.backend !== 'tensorflow' || res.sum.join(',') !== '11,22,33') {
    throw fail(`tfjs-node loaded but is wrong: ${JSON.stringify(res)}`);
  }
  log(`tfjs-node: verified backend 'tensorflow' (libtensorflow ${res.tf}, tfjs-node ${res.tfjsNode})`);
  return res;
}

// ---------------------------------------------------------------- entry point

/**
 * Makes `require('@tensorflow/tfjs-node')` work, using the TensorFlow C
 * library from the pinned tensorflow-cpu wheel. Idempotent; returns quickly
 * when already done. Throws an Error saying what failed.
 */
export async function ensureTfjsNode({log = console.log} = {}) {
  const tfjsNodeDir = findTfjsNodeDir();
  const pkg = readJson(path.join(tfjsNodeDir, 'package.json'));
  const target = addonTarget(tfjsNodeDir, pkg);
  const want = stampWanted(target, pkg);
  const force = /^(1|true|yes)$/i.test(process.env.TFJS_NODE_SETUP_FORCE || '');
  if (!force && isDone(tfjsNodeDir, target, want)) {
    return {tfjsNodeDir, addon: target.file, skipped: true};
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw fail(
      `only linux-x64 is supported by this setup (this is ` +
        `${process.platform}-${process.arch}); the ${TF_WHEEL.project} wheel pinned here ` +
        `is for linux x86_64.`,
    );
  }
  const t0 = Date.now();
  const release = await acquireLock(path.join(tfjsNodeDir, '.tfjs-activations-setup.lock'), log);
  try {
    if (!force && isDone(tfjsNodeDir, target, want)) {
      return {tfjsNodeDir, addon: target.file, skipped: true};
    }
    log(
      `tfjs-node: setting up @tensorflow/tfjs-node ${pkg.version} with libtensorflow ` +
        `from ${TF_WHEEL.project} ${TF_WHEEL.version}`,
    );
    const cacheDir = await ensureLibtensorflowCache(log);
    fs.rmSync(path.join(tfjsNodeDir, 'deps', STAMP_NAME), {force: true});
    installDeps(tfjsNodeDir, cacheDir);
    fs.rmSync(target.file, {force: true});
    // A built addon is relocatable (its rpath is relative), so one built
    // before on this machine for the same tfjs-node, N-API level and wheel is
    // reused; it is verified like a fresh build, and rebuilt if that fails.
    const addonCache = path.join(
      cacheRoot(),
      `tfjs_binding-${pkg.version}-napi${target.napi}-` +
        `${process.platform}-${process.arch}-tf${TF_WHEEL.version}-` +
        `${TF_WHEEL.sha256.slice(0, 12)}-r${RECIPE}.node`,
    );
    let res = null;
    if (!force && exists(addonCache)) {
      fs.mkdirSync(target.modulePath, {recursive: true});
      fs.copyFileSync(addonCache, target.file);
      log('tfjs-node: using the cached tfjs_binding.node');
      try {
        res = await verify(log);
      } catch (e) {
        log(`tfjs-node: cached addon failed to load, rebuilding (${e.message.split('\n')[0]})`);
        fs.rmSync(addonCache, {force: true});
        fs.rmSync(target.file, {force: true});
      }
    }
    if (!res) {
      const logFile = path.join(tfjsNodeDir, 'deps', 'build.log');
      await buildAddon(tfjsNodeDir, target, logFile, log);
      res = await verify(log);
      const tmp = `${addonCache}.${process.pid}.tmp`;
      fs.copyFileSync(target.file, tmp);
      fs.renameSync(tmp, addonCache);
    }
    const lib = path.join(tfjsNodeDir, 'deps', 'lib');
    fs.writeFileSync(
      path.join(tfjsNodeDir, 'deps', STAMP_NAME),
      JSON.stringify(
        {
          ...want,
          addon: path.relative(tfjsNodeDir, target.file),
          addonSize: fs.statSync(target.file).size,
          libSizes: {
            [LIB_CC]: fs.statSync(path.join(lib, LIB_CC)).size,
            [LIB_FW]: fs.statSync(path.join(lib, LIB_FW)).size,
          },
          libtensorflow: res.tf,
          done: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    log(`tfjs-node: ready in ${secs(t0)}`);
    return {tfjsNodeDir, addon: target.file, skipped: false, libtensorflow: res.tf};
  } finally {
    release();
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  ensureTfjsNode().then(
    r => {
      if (r.skipped) console.log(`tfjs-node: already set up (${path.relative(process.cwd(), r.addon)})`);
    },
    e => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
