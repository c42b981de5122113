// Builds the package's WebAssembly SIMD module: generates the C source from
// the definitions' `wasm` bodies (src/backends/wasm_source.ts), compiles it
// with clang/lld (Debian's, installed by scripts/setup/wasm-toolchain.mjs)
// and writes src/generated/wasm_module.js with the binary in base64, which the
// bundles embed: nothing is fetched or located at run time.
//
// Checks that the binary can run in place on a foreign memory: it imports
// its memory, has no data segment and never touches the stack pointer.
// Skips the compile when the generated file already holds this source's hash.
import {build} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'wasm');
// A CommonJS file (Node, jest and esbuild all read it as is); its types are the committed wasm_module.d.ts,
// so that type checking a fresh clone needs no build.
export const generatedPath = join(root, 'src', 'generated', 'wasm_module.js');

// C++ for clang's vector types with `?:` per lane; no exceptions, RTTI or library.
export const CLANG_FLAGS = [
  '--target=wasm32',
  '-x',
  'c++',
  '-std=c++17',
  '-Oz',
  '-msimd128',
  '-mnontrapping-fptoint',
  '-nostdlib',
  '-ffreestanding',
  '-fno-exceptions',
  '-fno-rtti',
  '-fno-math-errno',
  '-Wall',
  '-Wno-unused-function',
  '-Werror',
];
// Linked in a second step without -O: clang would otherwise run binaryen's wasm-opt when one is on the PATH
// (without the SIMD feature flags, which fails).
export const LINK_FLAGS = ['--target=wasm32', '-nostdlib', '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all'];

/**
 * Loads TypeScript from the package's sources in Node: `contents` (export lines relative to the repository
 * root) bundled by esbuild into `.cache/wasm/<name>.cjs`, tfjs left external, and required afresh.
 */
export async function requireFromSources(contents, name) {
  const out = await build({
    stdin: {contents, resolveDir: root, loader: 'ts'},
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'warning',
    external: ['@tensorflow/*'],
  });
  mkdirSync(cache, {recursive: true});
  const file = join(cache, `${name}.cjs`);
  writeFileSync(file, out.outputFiles[0].text);
  const require = createRequire(import.meta.url);
  delete require.cache[file];
  return require(file);
}

/** The generated C source (the definitions are bundled by esbuild and evaluated here). */
async function generate() {
  const {wasmSource, definitions} = await requireFromSources(
    "export {wasmSource} from './src/backends/wasm_source';\nexport {definitions} from './src/catalogue';\n",
    'generate',
  );
  return wasmSource(definitions);
}

/** Section ids of a wasm binary, and the module's use of globals (global.get/set). */
function inspect(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm binary');
  const sections = [];
  let p = 8;
  const leb = () => {
    let r = 0,
      s = 0,
      b;
    do {
      b = bytes[p++];
      r |= (b & 0x7f) << s;
      s += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    sections.push({id, start: p, size});
    p += size;
  }
  return sections;
}

function check(bytes, clang) {
  const sections = inspect(bytes);
  const ids = sections.map(s => s.id);
  if (ids.includes(11))
    throw new Error('the wasm module has a data segment: it would write into the memory it imports');
  if (ids.includes(5)) throw new Error('the wasm module defines its own memory instead of importing one');
  // The stack pointer global (wasm-ld defines it even when unused): no function may read or write it.
  const dis = execFileSync(clang.objdump, ['-d', clang.wasm], {encoding: 'utf8', maxBuffer: 1 << 28});
  if (/global\.(get|set)/.test(dis)) throw new Error('the wasm module uses the stack (global.get/set in its code)');
}

function tool(names) {
  for (const n of names) {
    try {
      execFileSync(n, ['--version'], {stdio: 'ignore'});
      return n;
    } catch {
      /* next */
    }
  }
  throw new Error(`none of ${names.join(', ')} found: run node scripts/setup.mjs (it installs Debian's clang and lld)`);
}

export async function buildWasm({log = console.log, force = false} = {}) {
  const source = await generate();
  const hash = createHash('sha256')
    .update(source)
    .update(CLANG_FLAGS.join(' ') + LINK_FLAGS.join(' '))
    .digest('hex')
    .slice(0, 16);
  if (!force && existsSync(generatedPath) && readFileSync(generatedPath, 'utf8').includes(`'${hash}'`)) return false;
  log('build: WebAssembly SIMD module (clang++ --target=wasm32 -msimd128)');
  const c = join(cache, 'module.cc'),
    obj = join(cache, 'module.o'),
    wasm = join(cache, 'module.wasm');
  writeFileSync(c, source);
  const clang = tool(['clang', 'clang-14']);
  const objdump = tool(['llvm-objdump', 'llvm-objdump-14']);
  execFileSync(clang, [...CLANG_FLAGS, '-c', '-o', obj, c], {stdio: 'inherit'});
  execFileSync(clang, [...LINK_FLAGS, '-o', wasm, obj], {stdio: 'inherit'});
  const bytes = readFileSync(wasm);
  check(bytes, {objdump, wasm});
  mkdirSync(dirname(generatedPath), {recursive: true});
  const b64 = bytes.toString('base64');
  writeFileSync(
    generatedPath,
    `'use strict';
// Generated by scripts/build-wasm.mjs from the definitions' \`wasm\` bodies: do not edit.
// Hash of the C source and flags this binary was built from.
exports.WASM_SOURCE_HASH = '${hash}';
// The module (${bytes.length} bytes), base64.
exports.WASM_BASE64 =
    '${b64.replace(/(.{100})/g, "$1' +\n    '")}';
`,
  );
  log(`build: wasm module ${bytes.length} bytes`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWasm({force: process.argv.includes('--force')});
}
