// Builds the package's native TensorFlow op library (one fused op per
// activation and direction, see docs/tensorflow-backend.md) for the
// tensorflow backend, after the tfjs-node step:
//
//   1. the C++ header subset of the pinned tensorflow-cpu wheel (the same
//      wheel tfjs-node's libtensorflow comes from), extracted once into the
//      cache (about 2,100 files, 40 MB; the wheel is downloaded again with pip
//      if the cache lacks them);
//   2. the op library source, generated from the definitions
//      (scripts/native/generate.mjs);
//   3. compiled with the machine's g++ into an N-API addon, cached under a
//      key of the wheel hash, the sources, the flags and the compiler;
//   4. loaded and run in a child process next to tfjs-node before it is
//      installed as build/native/tfa_ops.node (+ tfa_ops.json).
//
// When any of this is impossible (tfjs-node on stock libtensorflow 2.9.1,
// which ships no C++ headers; no compiler; a library that does not load),
// it prints one warning and removes build/native: the tensorflow backend
// then runs its op chains. It never fails the setup.
//
//   node scripts/setup/native-ops.mjs            # run directly
//
// Environment: CXX (compiler, default g++), TFJS_ACTIVATIONS_CACHE_DIR (cache
// root, as for tfjs-node), TFJS_ACTIVATIONS_NATIVE_SETUP_FORCE=1 (rebuild).
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {
  STAMP_NAME,
  TF_WHEEL,
  acquireLock,
  cacheRoot,
  exists,
  findNodeDir,
  findPython,
  findTfjsNodeDir,
  pipDownloadWheel,
  readJson,
  run,
  secs,
  sha256File,
  tail,
} from './tfjs-node.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const OUT_DIR = path.join(ROOT, 'build', 'native');
const LIB_NAME = 'tfa_ops.node';
const RECIPE = 1;

// The header trees a kernel source includes (op.h, op_kernel.h, shape_inference.h, denormal.h and theirs).
const HEADER_PREFIXES = [
  'tensorflow/core/framework/',
  'tensorflow/core/platform/',
  'tensorflow/core/lib/',
  'tensorflow/core/util/',
  'tensorflow/core/protobuf/',
  'tensorflow/core/public/',
  'tensorflow/core/graph/',
  'tsl/',
  'xla/tsl/',
  'absl/',
  'google/protobuf/',
  'Eigen/',
  'unsupported/Eigen/',
  'ml_dtypes/',
  'third_party/eigen3/',
];

// tf.sysconfig's flags for this wheel; -O3 -fno-math-errno -fno-trapping-math so that the loops vectorise
// (sqrt inline, libmvec calls); no -ffast-math (NaN, infinities, signed zeros and subnormals must
// stay exact) and no FMA contraction (every CPU path rounds the same operations).
export const CXXFLAGS = [
  '-std=c++17',
  '-D_GLIBCXX_USE_CXX11_ABI=1',
  '-DEIGEN_MAX_ALIGN_BYTES=64',
  '-O3',
  '-fno-math-errno',
  '-fno-trapping-math',
  '-ffp-contract=off',
  '-fPIC',
  '-shared',
  '-w',
  '-DNODE_GYP_MODULE_NAME=tfa_ops',
];

const EXTRACT_PY = `
import json, os, shutil, sys, zipfile
wheel, dest, prefixes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
count = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if info.is_dir() or not name.startswith('tensorflow/include/'):
            continue
        rel = name[len('tensorflow/include/'):]
        if not any(rel.startswith(p) for p in prefixes):
            continue
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, 'wb') as f:
            shutil.copyfileobj(src, f)
        count += 1
if not os.path.exists(os.path.join(dest, 'tensorflow', 'core', 'framework', 'op_kernel.h')):
    sys.exit('no tensorflow/core/framework/op_kernel.h in the wheel')
print(count)
`;

class Unavailable extends Error {}

/** The wheel's C++ headers (the subset), extracted once into the cache. */
async function ensureHeaders(log) {
  const dir = path.join(cacheRoot(), `tf-cc-headers-${TF_WHEEL.version}-${TF_WHEEL.sha256.slice(0, 12)}`);
  const marker = path.join(dir, '.complete');
  const good = () =>
    readJson(marker)?.sha256 === TF_WHEEL.sha256 &&
    exists(path.join(dir, 'include', 'tensorflow', 'core', 'framework', 'op_kernel.h'));
  if (good()) return path.join(dir, 'include');
  fs.mkdirSync(cacheRoot(), {recursive: true});
  const work = fs.mkdtempSync(path.join(cacheRoot(), '.tmp-headers-'));
  try {
    let py;
    try {
      py = await findPython();
    } catch (e) {
      throw new Unavailable(e.message);
    }
    log(`native ops: downloading ${TF_WHEEL.file} for its C++ headers (pip, ~270 MB)...`);
    let t0 = Date.now();
    const {r, wheel} = await pipDownloadWheel(py, work);
    if (r.code !== 0 || !exists(wheel)) throw new Unavailable(`pip could not download the wheel:\n${tail(r.out, 5)}`);
    if ((await sha256File(wheel)) !== TF_WHEEL.sha256) throw new Unavailable(`sha256 mismatch for ${TF_WHEEL.file}`);
    log(`native ops: downloaded in ${secs(t0)}; extracting the C++ headers...`);
    t0 = Date.now();
    const stage = path.join(work, 'stage');
    const x = await run(py, ['-c', EXTRACT_PY, wheel, path.join(stage, 'include'), JSON.stringify(HEADER_PREFIXES)]);
    if (x.code !== 0) throw new Unavailable(`extracting the headers failed:\n${tail(x.out, 5)}`);
    fs.writeFileSync(
      path.join(stage, '.complete'),
      JSON.stringify({sha256: TF_WHEEL.sha256, files: Number(x.out.trim())}),
    );
    fs.rmSync(dir, {recursive: true, force: true});
    try {
      fs.renameSync(stage, dir);
    } catch (e) {
      if (!good()) throw e;
    }
    log(`native ops: extracted ${x.out.trim()} header files in ${secs(t0)}`);
  } finally {
    fs.rmSync(work, {recursive: true, force: true});
  }
  return path.join(dir, 'include');
}

/** The compiler and its version line; installs g++ with apt-get when there is none and we may. */
async function findCompiler(log) {
  const cxx = process.env.CXX || 'g++';
  const version = async () => {
    try {
      const r = await run(cxx, ['--version']);
      return r.code === 0 ? r.out.split('\n')[0].trim() : undefined;
    } catch {
      return undefined;
    }
  };
  let v = await version();
  if (v === undefined && !process.env.CXX && process.getuid?.() === 0 && exists('/usr/bin/apt-get')) {
    log('native ops: no g++; installing it with apt-get...');
    const r = await run('apt-get', ['install', '-y', '--no-install-recommends', 'g++']);
    if (r.code === 0) v = await version();
  }
  if (v === undefined) throw new Unavailable(`no C++ compiler (${cxx}); install g++ or set CXX`);
  return {cxx, version: v};
}

const VERIFY_JS = `
const tf = require('@tensorflow/tfjs-node');
const lib = require(process.argv[1]);
const b = tf.backend();
const x = tf.tensor1d([-1, 0, 1, -3e38]);
const attr = v => [{name: 'u', type: b.binding.TF_ATTR_STRING, value: v}];
const y = Array.from(b.executeSingleOutput('TfaSquareplus', attr('4'), [x]).dataSync());
const e = Array.from(b.executeSingleOutput('TfaElu', attr('1'), [tf.tensor1d([1e-40, -1e-40])]).dataSync());
const a = [{name: 'axis_begin', type: b.binding.TF_ATTR_INT, value: 0}, {name: 'axis_end', type: b.binding.TF_ATTR_INT, value: 1}];
const s = Array.from(b.executeSingleOutput('TfaSoftmax', a, [tf.tensor1d([0, Math.log(3)])]).dataSync());
process.stdout.write('\\nTFA_NATIVE_VERIFY ' + JSON.stringify({ops: lib.ops, tensorflow: lib.tensorflow,
  binding: b.binding.TF_Version, y, e, s}) + '\\n');
`;

/** Loads the library next to tfjs-node in a child process and checks a few results. */
async function verify(file) {
  const env = {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'};
  const r = await run(process.execPath, ['-e', VERIFY_JS, file], {cwd: ROOT, env});
  const line = r.out.split('\n').find(l => l.startsWith('TFA_NATIVE_VERIFY '));
  const res = line ? JSON.parse(line.slice('TFA_NATIVE_VERIFY '.length)) : null;
  if (r.code !== 0 || !res) throw new Unavailable(`the library does not load (exit ${r.code}):\n${tail(r.out, 8)}`);
  const f = v => Math.fround(v);
  const X = f(-3e38);
  const want = [f(2 / (Math.sqrt(5) + 1)), 1, f((1 + Math.sqrt(5)) / 2), f(4 / (2 * (Math.sqrt(X * X + 4) - X)))];
  // subnormal results (flushed to 0 unless the kernels keep them)
  const ok =
    res.y.every((v, i) => v === want[i]) &&
    res.e[0] === f(1e-40) &&
    res.e[1] === f(-1e-40) &&
    // softmax([0, ln 3]) in float32 lanes: within 2 ULP of [0.25, 0.75]
    Math.abs(res.s[0] - 0.25) <= 2 * 2 ** -25 &&
    Math.abs(res.s[1] - 0.75) <= 2 * 2 ** -24 &&
    res.tensorflow === TF_WHEEL.version;
  if (!ok) throw new Unavailable(`the library loads but computes wrong values: ${JSON.stringify(res)}`);
  return res;
}

function cachedOk(meta, key) {
  return (
    meta?.key === key &&
    exists(path.join(OUT_DIR, LIB_NAME)) &&
    fs.statSync(path.join(OUT_DIR, LIB_NAME)).size === meta.size
  );
}

async function build(log) {
  const t0 = Date.now();
  // tfjs-node must run on the wheel's libtensorflow (stock 2.9.1 has no C++ headers, and another ABI).
  const tfjsNodeDir = findTfjsNodeDir();
  const stamp = readJson(path.join(tfjsNodeDir, 'deps', STAMP_NAME));
  if (stamp?.sha256 !== TF_WHEEL.sha256) {
    throw new Unavailable(
      `@tensorflow/tfjs-node does not run on ${TF_WHEEL.project} ${TF_WHEEL.version}'s ` +
        'libtensorflow (stock libtensorflow 2.9.1 ships no C++ headers)',
    );
  }
  const libDir = path.join(tfjsNodeDir, 'deps', 'lib');
  const nodeDir = findNodeDir();
  if (!nodeDir) throw new Unavailable('Node headers (include/node/node_api.h) not found');
  const {generateSource} = await import(pathToFileURL(path.join(ROOT, 'scripts', 'native', 'generate.mjs')).href);
  const {source, ops, missing} = await generateSource();
  if (missing.length > 0) log(`native ops: no C++ bodies for ${missing.join(', ')} (they keep their op chains)`);
  const header = fs.readFileSync(path.join(ROOT, 'native', 'tfa_ops.h'), 'utf8');
  const math32 = fs.readFileSync(path.join(ROOT, 'native', 'tfa_math32.h'), 'utf8');
  const {cxx, version} = await findCompiler(log);
  const defines = [`-DTFA_TF_VERSION="${TF_WHEEL.version}"`];
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        recipe: RECIPE,
        wheel: TF_WHEEL.sha256,
        source,
        header,
        math32,
        compiler: version,
        flags: [...CXXFLAGS, ...defines],
        platform: `${process.platform}-${process.arch}`,
      }),
    )
    .digest('hex')
    .slice(0, 20);
  const force = /^(1|true|yes)$/i.test(process.env.TFJS_ACTIVATIONS_NATIVE_SETUP_FORCE || '');
  const metaFile = path.join(OUT_DIR, 'tfa_ops.json');
  if (!force && cachedOk(readJson(metaFile), key)) return {skipped: true};

  const release = await acquireLock(path.join(cacheRoot(), '.native-ops.lock'), log);
  try {
    const cached = path.join(cacheRoot(), `tfa_ops-${key}.node`);
    let compileSeconds = readJson(`${cached}.json`)?.compileSeconds;
    if (force || !exists(cached)) {
      const include = await ensureHeaders(log);
      const work = fs.mkdtempSync(path.join(cacheRoot(), '.tmp-native-'));
      try {
        fs.writeFileSync(path.join(work, 'tfa_ops.cc'), source);
        fs.writeFileSync(path.join(work, 'tfa_ops.h'), header);
        fs.writeFileSync(path.join(work, 'tfa_math32.h'), math32);
        const out = path.join(work, LIB_NAME);
        log(`native ops: compiling ${ops.length} activations with ${version} (takes a minute)...`);
        const t1 = Date.now();
        const r = await run(cxx, [
          ...CXXFLAGS,
          ...defines,
          `-I${work}`,
          `-I${include}`,
          `-I${path.join(nodeDir, 'include', 'node')}`,
          path.join(work, 'tfa_ops.cc'),
          '-o',
          out,
          `-L${libDir}`,
          '-l:libtensorflow_framework.so.2',
          '-lmvec',
          `-Wl,-rpath,${libDir}`,
        ]);
        if (r.code !== 0 || !exists(out)) throw new Unavailable(`compiling failed:\n${tail(r.out, 15)}`);
        compileSeconds = (Date.now() - t1) / 1000;
        await verify(out);
        const tmp = `${cached}.${process.pid}.tmp`;
        fs.copyFileSync(out, tmp);
        fs.renameSync(tmp, cached);
        fs.writeFileSync(`${cached}.json`, JSON.stringify({compileSeconds}));
      } finally {
        fs.rmSync(work, {recursive: true, force: true});
      }
    } else {
      await verify(cached);
    }
    fs.mkdirSync(OUT_DIR, {recursive: true});
    fs.copyFileSync(cached, path.join(OUT_DIR, LIB_NAME));
    fs.writeFileSync(
      metaFile,
      JSON.stringify(
        {
          key,
          tensorflow: TF_WHEEL.version,
          wheelSha256: TF_WHEEL.sha256,
          compiler: version,
          size: fs.statSync(cached).size,
          ops: ops.map(o => o.id),
          compileSeconds,
          built: new Date().toISOString(),
        },
        null,
        2,
      ) + '\n',
    );
    log(
      `native ops: build/native/${LIB_NAME} ready in ${secs(t0)}` +
        (compileSeconds !== undefined ? ` (compile ${compileSeconds.toFixed(1)} s)` : ''),
    );
    return {skipped: false, compileSeconds};
  } finally {
    release();
  }
}

/**
 * Makes build/native/tfa_ops.node, or removes it with one warning when it
 * cannot be built here. Idempotent; fast when nothing changed.
 */
export async function ensureNativeOps({log = console.log} = {}) {
  try {
    return await build(log);
  } catch (e) {
    if (!(e instanceof Unavailable)) throw e;
    fs.rmSync(OUT_DIR, {recursive: true, force: true});
    log(`WARNING native ops: not built, the tensorflow backend will run its op chains instead: ${e.message}`);
    return {skipped: false, unavailable: e.message};
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  ensureNativeOps().then(
    r => {
      if (r.skipped) console.log('native ops: already built (build/native/tfa_ops.node)');
    },
    e => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
