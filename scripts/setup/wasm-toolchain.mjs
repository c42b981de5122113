// Makes clang and lld (Debian's packages) available for the WebAssembly SIMD
// module (scripts/build-wasm.mjs). Idempotent and fast once done: when
// `clang`, `wasm-ld` and `llvm-objdump` are on the PATH it returns at once;
// otherwise it installs `clang` and `lld` with apt-get (running
// `apt-get update` only when the install fails without it).
//
//   node scripts/setup/wasm-toolchain.mjs
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const TOOLS = ['clang', 'wasm-ld', 'llvm-objdump'];

function found(tool) {
  const r = spawnSync(tool, ['--version'], {stdio: 'ignore'});
  return r.status === 0;
}

function apt(args) {
  const asRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
  const [cmd, ...rest] = [...(asRoot ? [] : ['sudo', '-n']), 'apt-get', ...args];
  return spawnSync(cmd, rest, {
    env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'},
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
}

export async function ensureWasmToolchain({log = () => {}} = {}) {
  if (TOOLS.every(found)) return;
  if (process.platform !== 'linux') throw new Error(`${TOOLS.join(', ')} are needed to build the wasm module`);
  const install = () => apt(['install', '-y', '--no-install-recommends', 'clang', 'lld']);
  log('wasm: apt-get install clang lld');
  let r = install();
  if (r.status !== 0) {
    log('wasm: install failed, apt-get update');
    const u = apt(['update']);
    if (u.status !== 0) throw new Error(`apt-get update failed:\n${(u.stderr ?? '').slice(-2000)}`);
    r = install();
  }
  if (r.status !== 0)
    throw new Error(`apt-get install clang lld failed:\n${(r.stderr ?? r.stdout ?? '').slice(-2000)}`);
  const missing = TOOLS.filter(t => !found(t));
  if (missing.length > 0) throw new Error(`after installing clang and lld, ${missing.join(', ')} still missing`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureWasmToolchain({log: console.log});
