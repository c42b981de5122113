/**
 * The package's native TensorFlow op library on the tensorflow (tfjs-node)
 * backend: one fused op per activation and direction (`Tfa<Id>`,
 * `Tfa<Id>Grad`), generated from the definitions' `cpp` bodies and built by
 * the setup (scripts/setup/native-ops.mjs, docs/tensorflow-backend.md). The
 * kernels in ./tensorflow.ts run these ops when the library is loaded, and
 * their op chains otherwise.
 *
 * The library is an N-API addon loaded with `require` (its static
 * initialisers register the ops in the libtensorflow tfjs-node runs on). It
 * is only loaded into a tfjs-node whose libtensorflow is the version it was
 * built against (the C++ ABI of TensorFlow holds for that build only);
 * otherwise, or when it is missing, one warning is printed and the chains
 * run. `TFJS_ACTIVATIONS_NATIVE=0` turns it off without a warning;
 * `TFJS_ACTIVATIONS_NATIVE=<path>` loads another build of it.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';
import type {TensorMetadata} from '@tensorflow/tfjs-node/dist/tfjs_binding';
import type {NodeJSKernelBackend} from '@tensorflow/tfjs-node/dist/nodejs_kernel_backend';
import type {ActivationDefinition, Constants} from '../definition';
import {nativeOpNames} from '../catalogue';

type Binding = NodeJSKernelBackend['binding'];

/** What the native kernels use of tfjs-node's backend (see ./tensorflow.ts). */
export interface NativeBackend {
  binding: Binding;
  getInputTensorIds(tensors: TensorInfo[]): number[];
  createOutputTensor(metadata: TensorMetadata): TensorInfo;
}

interface Library {
  file: string;
  ops: Set<string>;
}

type NodeRequire = (id: string) => unknown;

// Node's globals, declared here (module scope) because the package's types build without Node's typings;
// in a browser they are undefined and the library is never looked for.
declare const require: NodeRequire | undefined;
declare const __dirname: string | undefined;
declare const process:
  | {
      env: Record<string, string | undefined>;
      cwd(): string;
      getBuiltinModule?(id: string): unknown;
    }
  | undefined;

let library: Library | null | undefined; // undefined: not tried yet; null: unavailable
let enabled = true;
let lastProblem: string | undefined;

/**
 * Node's `require`: from `module.createRequire` (Node ≥ 20.16, CommonJS and
 * ESM alike; an ES module bundle's `require` is a stub that throws), else
 * the CommonJS one; undefined in a browser.
 */
function nodeRequire(): NodeRequire | undefined {
  if (typeof process !== 'undefined') {
    const mod = process.getBuiltinModule?.('module') as {createRequire(from: string): NodeRequire} | undefined;
    if (mod !== undefined) return mod.createRequire(process.cwd() + '/');
  }
  return typeof require === 'function' ? require : undefined;
}

/** Where the setup puts the library: build/native/ in the package's root. */
function candidates(req: NodeRequire): string[] {
  const env = typeof process !== 'undefined' ? process.env.TFJS_ACTIVATIONS_NATIVE : undefined;
  if (env !== undefined && env !== '' && !/^(0|off|false|no)$/i.test(env) && !/^(1|on|true|yes)$/i.test(env)) {
    return [env];
  }
  const out: string[] = [];
  // dist/cjs/index.js and src/backends/*.ts both sit two levels below the root
  if (typeof __dirname === 'string') out.push(`${__dirname}/../../build/native/tfa_ops.node`);
  try {
    const pkg = (req as NodeRequire & {resolve(id: string): string}).resolve('tfjs-activations/package.json');
    out.push(pkg.replace(/package\.json$/, 'build/native/tfa_ops.node'));
  } catch {
    // not resolvable from here
  }
  return out;
}

function warn(problem: string): void {
  lastProblem = problem;
  console.warn(
    `tfjs-activations: the native TensorFlow ops are not available (${problem}); the tensorflow ` +
      'backend runs its op chains instead, which are slower. See docs/tensorflow-backend.md.',
  );
}

function load(binding: Binding): Library | null {
  try {
    return tryLoad(binding);
  } catch (e) {
    warn(`it could not be looked for: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

function tryLoad(binding: Binding): Library | null {
  const env = typeof process !== 'undefined' ? process.env.TFJS_ACTIVATIONS_NATIVE : undefined;
  if (env !== undefined && /^(0|off|false|no)$/i.test(env)) {
    lastProblem = `TFJS_ACTIVATIONS_NATIVE=${env}`;
    return null;
  }
  const req = nodeRequire();
  if (req === undefined) {
    warn('no require() to load it with');
    return null;
  }
  const fs = req('fs') as {existsSync(p: string): boolean; readFileSync(p: string, enc: string): string};
  const file = candidates(req).find(f => fs.existsSync(f));
  if (file === undefined) {
    warn(
      `${candidates(req).join(' or ') || 'build/native/tfa_ops.node'} not found: the setup ` +
        "(node scripts/setup.mjs) builds it where a C++ compiler and the TensorFlow wheel's headers are available",
    );
    return null;
  }
  const running = String((binding as unknown as {TF_Version?: string}).TF_Version);
  let built: string | undefined;
  try {
    built = (JSON.parse(fs.readFileSync(file.replace(/\.node$/, '.json'), 'utf8')) as {tensorflow?: string}).tensorflow;
  } catch {
    // no metadata next to it: checked after loading instead
  }
  if (built !== undefined && built !== running) {
    warn(`${file} was built for libtensorflow ${built}, but tfjs-node runs ${running}`);
    return null;
  }
  let lib: {ops?: unknown; tensorflow?: unknown};
  try {
    lib = req(file) as typeof lib;
  } catch (e) {
    warn(`${file} does not load: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
  if (!Array.isArray(lib.ops) || lib.tensorflow !== running) {
    warn(`${file} is not this package's op library for libtensorflow ${running}`);
    return null;
  }
  lastProblem = undefined;
  return {file, ops: new Set(lib.ops as string[])};
}

const opNames = new WeakMap<ActivationDefinition, [string, string, string]>();

/** The forward and gradient op names of a definition, and the gradient's from the output (cpp.gradientFromOutput). */
function opsOf(def: ActivationDefinition): [string, string, string] {
  let names = opNames.get(def);
  if (names === undefined) {
    const n = nativeOpNames(def);
    opNames.set(def, (names = [n.forward, n.grad, n.gradFromOutput]));
  }
  return names;
}

/** The loaded library, or null (after one warning) when the chains must run. */
function libraryFor(binding: Binding): Library | null {
  if (!enabled) return null;
  if (library === undefined) library = load(binding);
  return library;
}

/**
 * Whether the native ops run (true by default, when the library loads).
 * For tests and benchmarks that compare them with the op chains.
 */
export function setNativeOps(on: boolean): void {
  enabled = on;
}

/** The library's path when it is loaded (loading it if needed), else why not. */
export function nativeOpsStatus(binding: Binding): {loaded: true; file: string} | {loaded: false; reason: string} {
  const lib = libraryFor(binding);
  return lib !== null
    ? {loaded: true, file: lib.file}
    : {loaded: false, reason: enabled ? (lastProblem ?? '?') : 'disabled'};
}

const attrCache = new WeakMap<Constants, string>();

/** float64 constants as the ops parse them (strtod of JavaScript's shortest round-trip form). */
function constantsAttr(u: Constants): string {
  const hit = attrCache.get(u);
  if (hit !== undefined) return hit;
  let s = '';
  for (let i = 0; i < u.length; i++) s += (i > 0 ? ',' : '') + (Object.is(u[i], -0) ? '-0' : String(u[i]));
  if (typeof u === 'object') attrCache.set(u, s);
  return s;
}

function run(
  b: NativeBackend,
  op: string,
  inputs: TensorInfo[],
  attrs: Parameters<Binding['executeOp']>[1],
): TensorInfo {
  const [meta] = b.binding.executeOp(op, attrs, b.getInputTensorIds(inputs), 1);
  return b.createOutputTensor(meta);
}

/**
 * An elementwise activation's forward (order 0: f(x)) or gradient (dy·f′ or
 * dy·f″) as one native op, or undefined when the library cannot run it.
 */
export function nativeElementwise(
  b: NativeBackend,
  def: ActivationDefinition,
  order: number,
  x: TensorInfo,
  dy: TensorInfo | undefined,
  u: Constants,
  y?: TensorInfo,
): TensorInfo | undefined {
  if (def.kind !== 'elementwise' || def.cpp === undefined) return undefined;
  if (order === 2 && def.cpp.second === undefined) return undefined;
  const lib = libraryFor(b.binding);
  const op = opsOf(def)[order === 0 ? 0 : 1];
  if (lib === null || !lib.ops.has(op) || x.dtype !== 'float32') return undefined;
  const attrs = [{name: 'u', type: b.binding.TF_ATTR_STRING, value: constantsAttr(u)}];
  if (order === 0) return run(b, op, [x], attrs);
  if (dy === undefined || dy.dtype !== 'float32') return undefined;
  // the first derivative from the forward's output y (x, y, dy), where the definition has it
  const fromY = opsOf(def)[2];
  if (order === 1 && y !== undefined && y.dtype === 'float32' && lib.ops.has(fromY))
    return run(b, fromY, [x, y, dy], attrs);
  attrs.push({name: 'order', type: b.binding.TF_ATTR_INT, value: order as unknown as string});
  return run(b, op, [x, dy], attrs);
}

/**
 * An axis activation's forward (dy undefined) or backward along the sorted,
 * contiguous `axes` as one native op, or undefined when the library cannot run it.
 */
export function nativeAxis(
  b: NativeBackend,
  def: ActivationDefinition,
  x: TensorInfo,
  dy: TensorInfo | undefined,
  axes: readonly number[],
): TensorInfo | undefined {
  if (def.kind !== 'axis' || def.cpp === undefined || axes.length === 0) return undefined;
  const lib = libraryFor(b.binding);
  const op = opsOf(def)[dy === undefined ? 0 : 1];
  if (lib === null || !lib.ops.has(op) || x.dtype !== 'float32' || (dy !== undefined && dy.dtype !== 'float32')) {
    return undefined;
  }
  const attrs = [
    {name: 'axis_begin', type: b.binding.TF_ATTR_INT, value: axes[0]},
    {name: 'axis_end', type: b.binding.TF_ATTR_INT, value: axes[axes.length - 1] + 1},
  ];
  return run(b, op, dy === undefined ? [x] : [x, dy], attrs as Parameters<Binding['executeOp']>[1]);
}
