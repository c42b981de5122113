// Generates the C++ source of the package's native TensorFlow op library
// from the activation definitions: every definition's `cpp` bodies become
// one forward op and one gradient op (`Tfa<Id>`, `Tfa<Id>Grad`, and
// `Tfa<Id>GradY` from the output; the names are src/catalogue.ts's
// `nativeOpNames`); the scaffolding they plug into is native/tfa_ops.h. The
// list of activations is the catalogue itself (src/catalogue.ts, bundled
// here with esbuild), so there is no second list to keep.
//
//   node scripts/native/generate.mjs > ops.cc     # print the source
//   node scripts/native/generate.mjs --helpers32  # only the definitions' float32 helpers (scripts/native/ulp32.cc)
//   import {generateSource} from './native/generate.mjs'
import {build} from 'esbuild';
import {createRequire} from 'node:module';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The catalogue (src/catalogue.ts) loaded from the TypeScript sources: its `definitions` and `nativeOpNames`. */
export async function loadCatalogue() {
  const out = await build({
    entryPoints: [join(root, 'src', 'catalogue.ts')],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    logLevel: 'warning',
    external: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-*',
      '@tensorflow/tfjs-node',
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'tfa-gen-'));
  try {
    const file = join(dir, 'catalogue.cjs');
    writeFileSync(file, out.outputFiles[0].text);
    // resolve tfjs-core from the project
    const require = createRequire(join(root, 'package.json'));
    const Module = require('node:module');
    const m = new Module(file);
    m.filename = file;
    m.paths = Module._nodeModulePaths(root);
    m._compile(out.outputFiles[0].text, file);
    return m.exports;
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** A body: an expression, or statements when it says `return`. */
function body(text) {
  const t = text.trim();
  return /\breturn\b/.test(t) ? t : `return ${t};`;
}

/**
 * Estimated cycles per element of a vectorised body, for TensorFlow's
 * ParallelFor (it splits work across threads only where that pays): a few
 * for piecewise bodies, more per vector math call.
 */
function cost(text) {
  const calls = (
    text.match(
      /\b(exp|expm1|log1p|log|tanh|tanh_e|erfc?|sqrt|sigmoid|softplus|sech2|tanh_shrink|normal_cdf|normal_pdf)\(/g,
    ) ?? []
  ).length;
  return 1 + 2 * calls;
}

const indent = (text, pad) =>
  text
    .trim()
    .split('\n')
    .map(l => pad + l.trim())
    .join('\n');

/**
 * The float32 gradient loop (cpp.gradient32): dy·f′ in float32 lanes, its rare inputs (cpp.gradient32Rare) again with
 * the float64 gradient in a second pass; returns, or falls through to the float64 loop where gradient32When fails.
 */
function gradient32Loop(cpp, d32) {
  const rare = cpp.gradient32Rare;
  const loop = `${rare !== undefined ? 'int rare = 0;\n' : ''}for (int64 i = 0; i < n; i++) {
  const float x = xs[i];
  const float r = g1_32(x, dys[i], u, uf);
  dxs[i] = x == x ? r : x;${rare !== undefined ? `\n  rare |= ${rare};` : ''}
}${
    rare !== undefined
      ? `
// the rare elements again, in float64 (a second pass over those only)
if (rare != 0) {
  for (int64 i = 0; i < n; i++) {
    const float x = xs[i];
    if (${rare}) dxs[i] = static_cast<float>(dys[i] * ${d32 ? 'd1_32(x, u, uf)' : 'd1(x, u)'});
  }
}`
      : ''
  }`;
  const when = cpp.gradient32When;
  return when === undefined
    ? `\n${loop.replace(/^/gm, '  ')}`
    : `\n  if (${when}) {\n${loop.replace(/^/gm, '    ')}\n    return;\n  }`;
}

// The float32 forms' bodies are always inlined into the loops: GCC keeps a large one (gelu's) out of line otherwise,
// compiled for the baseline target only, outside the loops' target clones (a call per element, and glibc's fmaf
// instead of the FMA instruction).
const INLINE32 = 'static inline __attribute__((always_inline))';

/** A definition's own float32 helpers (cpp.helpers32), emitted into its namespace. */
function helpers32(def) {
  const text = def.cpp?.helpers32;
  return text === undefined ? '' : `\n${text.replace(/^\n+/, '').replace(/\s+$/, '')}`;
}

function elementwise(def, opNames) {
  const {forward, grad, gradFromOutput} = opNames(def);
  const ns = `tfa_gen_${def.keras}`;
  const cpp = def.cpp;
  const second = cpp.second !== undefined;
  const f32 = cpp.forward32 !== undefined,
    d32 = cpp.derivative32 !== undefined,
    when = f32 && cpp.forward32When !== undefined,
    fromY = cpp.gradientFromOutput,
    g32 = cpp.gradient32 !== undefined;
  const rare = cpp.forward32Rare;
  const loop32 = (
    cpp.forward32KeepsNaN && rare === undefined
      ? `for (int64 i = 0; i < n; i++) ys[i] = f32(xs[i], u, uf);  // (NaN in, the same NaN out)`
      : `${rare !== undefined ? 'int rare = 0;\n' : ''}for (int64 i = 0; i < n; i++) {
  const float x = xs[i];
  const float r = f32(x, u, uf);
  ys[i] = ${cpp.forward32KeepsNaN ? 'r' : 'x == x ? r : x'};${rare !== undefined ? `\n  rare |= ${rare};` : ''}
}`
  ).concat(
    rare !== undefined
      ? `
// the rare elements again, in float64 (a second pass over those only)
if (rare != 0) {
  for (int64 i = 0; i < n; i++) {
    const float x = xs[i];
    if (${rare}) ys[i] = static_cast<float>(f(x, u));
  }
}`
      : '',
  );
  const consts = `double u[kMaxConstants];
  float uf[kMaxConstants];
  for (int k = 0; k < kMaxConstants; k++) {
    u[k] = uin[k];
    uf[k] = static_cast<float>(uin[k]);
  }`;
  return `
// ---- ${def.keras}: ${def.formula}
namespace ${ns} {
using namespace tfa;${helpers32(def)}
static inline double f(double x, const double* __restrict u) {
${indent(body(cpp.forward), '  ')}
}
static inline double d1(double x, const double* __restrict u) {
${indent(body(cpp.derivative), '  ')}
}
${
  second
    ? `static inline double d2(double x, const double* __restrict u) {
${indent(body(cpp.second), '  ')}
}`
    : ''
}
${
  f32
    ? `${INLINE32} float f32(float x, const double* __restrict u, const float* __restrict uf) {
${indent(body(cpp.forward32), '  ')}
}`
    : ''
}
${
  d32
    ? `${INLINE32} double d1_32(float x, const double* __restrict u, const float* __restrict uf) {
${indent(body(cpp.derivative32), '  ')}
}`
    : ''
}${
    g32
      ? `
${INLINE32} float g1_32(float x, float dy, const double* __restrict u, const float* __restrict uf) {
${indent(body(cpp.gradient32), '  ')}
}`
      : ''
  }
// The constants are copied to a local array: loads from it cannot trap, so conditional uses of u[k] if-convert.
TFA_CLONES void forward(const float* __restrict xs, float* __restrict ys, int64 n, const double* __restrict uin) {
  ${consts}${
    f32
      ? when
        ? `
  if (${cpp.forward32When}) {
${loop32.replace(/^/gm, '    ')}
    return;
  }`
        : `
${loop32.replace(/^/gm, '  ')}`
      : ''
  }${
    !f32 || when
      ? `
  for (int64 i = 0; i < n; i++) {
    const double x = xs[i];
    const double r = f(x, u);
    ys[i] = x == x ? static_cast<float>(r) : xs[i];
  }`
      : ''
  }
}
TFA_CLONES void first(const float* __restrict xs, const float* __restrict dys, float* __restrict dxs, int64 n,
                      const double* __restrict uin) {
  ${consts}${g32 ? gradient32Loop(cpp, d32) : ''}${
    g32 && cpp.gradient32When === undefined
      ? ''
      : `
  for (int64 i = 0; i < n; i++) {
    const double x = xs[i];
    const double r = dys[i] * ${d32 ? 'd1_32(xs[i], u, uf)' : 'd1(x, u)'};
    dxs[i] = x == x ? static_cast<float>(r) : xs[i];
  }`
  }
}
${
  second
    ? `TFA_CLONES void second(const float* __restrict xs, const float* __restrict dys, float* __restrict dxs, int64 n,
                       const double* __restrict uin) {
  ${consts}
  for (int64 i = 0; i < n; i++) {
    const double x = xs[i];
    const double r = dys[i] * d2(x, u);
    dxs[i] = x == x ? static_cast<float>(r) : xs[i];
  }
}`
    : ''
}
${
  fromY
    ? `// dy·f′ from y where \`when\` holds (a vector loop), then from x for the other elements only
TFA_CLONES void from_output(const float* __restrict xs, const float* __restrict ys, const float* __restrict dys,
                            float* __restrict dxs, int64 n, const double* __restrict uin) {
  int redo = 0;
  for (int64 i = 0; i < n; i++) {
    const float y = ys[i], dy = dys[i];
    const bool ok = ${fromY.when};
    dxs[i] = ${fromY.value};
    redo |= !ok;
  }
  if (redo == 0) return;
  ${consts}
  for (int64 i = 0; i < n; i++) {
    const float y = ys[i];
    if (${fromY.when}) continue;
    const double x = xs[i];
    const double r = dys[i] * ${d32 ? 'd1_32(xs[i], u, uf)' : 'd1(x, u)'};
    dxs[i] = x == x ? static_cast<float>(r) : xs[i];
  }
}
struct FromOutputLoops {
  static void from_output(const float* x, const float* y, const float* dy, float* dx, int64 n, const double* u) {
    ${ns}::from_output(x, y, dy, dx, n, u);
  }
};
typedef ElementwiseGradFromOutputOp<FromOutputLoops, 1> GradFromOutputOp;`
    : ''
}
struct Loops {
  static void forward(const float* x, float* y, int64 n, const double* u) { ${ns}::forward(x, y, n, u); }
  static void first(const float* x, const float* dy, float* dx, int64 n, const double* u) {
    ${ns}::first(x, dy, dx, n, u);
  }
  static void second(const float* x, const float* dy, float* dx, int64 n, const double* u) {
    ${second ? `${ns}::second(x, dy, dx, n, u);` : ''}
  }
  static constexpr bool has_second = ${second};
};
typedef ElementwiseOp<Loops, ${cpp.cost?.[0] ?? cost(cpp.forward)}> ForwardOp;
typedef ElementwiseGradOp<Loops, ${cpp.cost?.[1] ?? Math.max(cost(cpp.derivative), cost(cpp.second ?? ''))}> GradOp;
}  // namespace ${ns}
REGISTER_OP("${forward}").Input("x: float").Output("y: float").Attr("u: string = ''")
    .SetShapeFn(TFA_ELEMENTWISE_SHAPE);
REGISTER_OP("${grad}").Input("x: float").Input("dy: float").Output("dx: float").Attr("u: string = ''")
    .Attr("order: int = 1").SetShapeFn(TFA_ELEMENTWISE_SHAPE);
REGISTER_KERNEL_BUILDER(Name("${forward}").Device(::tensorflow::DEVICE_CPU), ${ns}::ForwardOp);
REGISTER_KERNEL_BUILDER(Name("${grad}").Device(::tensorflow::DEVICE_CPU), ${ns}::GradOp);
${
  fromY
    ? `REGISTER_OP("${gradFromOutput}").Input("x: float").Input("y: float").Input("dy: float").Output("dx: float")
    .Attr("u: string = ''").SetShapeFn(TFA_ELEMENTWISE_SHAPE);
REGISTER_KERNEL_BUILDER(Name("${gradFromOutput}").Device(::tensorflow::DEVICE_CPU), ${ns}::GradFromOutputOp);
`
    : ''
}`;
}

function axis(def, opNames) {
  const {forward, grad} = opNames(def);
  const ns = `tfa_gen_${def.keras}`;
  const halves = def.halvesAxis === true;
  const [fwdCost, bwdCost] = def.cpp.cost ?? [2, 3];
  return `
// ---- ${def.keras}: ${def.formula}
namespace ${ns} {
using namespace tfa;
// (compiled per CPU path like the elementwise loops)
TFA_CLONES static void forward_row(const float* __restrict x, float* __restrict y, int64 n, int64 s,
                                   double* __restrict w) {
${indent(def.cpp.forward, '  ')}
}
TFA_CLONES static void backward_row(const float* __restrict x, const float* __restrict dy, float* __restrict dx,
                                    int64 n, int64 s, double* __restrict w) {
${indent(def.cpp.backward, '  ')}
}
typedef AxisOp<forward_row, ${halves}, ${fwdCost}> ForwardOp;
typedef AxisGradOp<backward_row, ${halves}, ${bwdCost}> GradOp;
}  // namespace ${ns}
REGISTER_OP("${forward}").Input("x: float").Output("y: float").Attr("axis_begin: int").Attr("axis_end: int")
    .SetShapeFn([](::tensorflow::shape_inference::InferenceContext* c) {
      c->set_output(0, c->UnknownShape());
      return ::tensorflow::OkStatus();
    });
REGISTER_OP("${grad}").Input("x: float").Input("dy: float").Output("dx: float").Attr("axis_begin: int")
    .Attr("axis_end: int").SetShapeFn(TFA_ELEMENTWISE_SHAPE);
REGISTER_KERNEL_BUILDER(Name("${forward}").Device(::tensorflow::DEVICE_CPU), ${ns}::ForwardOp);
REGISTER_KERNEL_BUILDER(Name("${grad}").Device(::tensorflow::DEVICE_CPU), ${ns}::GradOp);
`;
}

/**
 * The library source: every definition with `cpp` bodies, and an N-API
 * entry point (the library is loaded with require()) that reports what it
 * holds. Returns {source, ops: [{id, forward, grad}], missing: [ids]}.
 */
export async function generateSource() {
  const {definitions: defs, nativeOpNames: opNames} = await loadCatalogue();
  const parts = [],
    ops = [],
    missing = [];
  for (const def of defs) {
    if (def.cpp === undefined) {
      missing.push(def.id);
      continue;
    }
    parts.push(def.kind === 'elementwise' ? elementwise(def, opNames) : axis(def, opNames));
    const names = opNames(def);
    const fromY = def.kind === 'elementwise' && def.cpp.gradientFromOutput !== undefined;
    ops.push({
      id: def.id,
      forward: names.forward,
      grad: names.grad,
      ...(fromY ? {gradFromOutput: names.gradFromOutput} : {}),
      second: def.kind === 'elementwise' && def.cpp.second !== undefined,
    });
  }
  const source = `// Generated by scripts/native/generate.mjs from the definitions in src/activations/: do not edit.
#include "tfa_ops.h"
#include <node_api.h>
${parts.join('')}
// ---- N-API entry point: {tensorflow: <the wheel version built against, -DTFA_TF_VERSION>, ops: [<op names>]}
static napi_value TfaInit(napi_env env, napi_value exports) {
  static const char* const kOps[] = {${ops
    .map(o => [o.forward, o.grad, ...(o.gradFromOutput ? [o.gradFromOutput] : [])].map(n => `"${n}"`).join(', '))
    .join(', ')}};
  napi_value list, str;
  napi_create_array(env, &list);
  for (uint32_t i = 0; i < sizeof(kOps) / sizeof(kOps[0]); i++) {
    napi_create_string_utf8(env, kOps[i], NAPI_AUTO_LENGTH, &str);
    napi_set_element(env, list, i, str);
  }
  napi_set_named_property(env, exports, "ops", list);
  napi_create_string_utf8(env, TFA_TF_VERSION, NAPI_AUTO_LENGTH, &str);
  napi_set_named_property(env, exports, "tensorflow", str);
  return exports;
}
NAPI_MODULE(NODE_GYP_MODULE_NAME, TfaInit)
`;
  return {source, ops, missing};
}

/**
 * Only the definitions' float32 helpers (cpp.helpers32), each in its namespace `tfa_gen_<keras name>`, as a header
 * after native/tfa_math32.h: for scripts/native/ulp32.cc, which measures them over every float32.
 */
export async function generateHelpers32() {
  const {definitions: defs} = await loadCatalogue();
  const parts = defs
    .filter(def => def.kind === 'elementwise' && def.cpp?.helpers32 !== undefined)
    .map(def => `\n// ---- ${def.keras}\nnamespace tfa_gen_${def.keras} {\nusing namespace tfa;${helpers32(def)}\n}\n`);
  return `// Generated by scripts/native/generate.mjs --helpers32 from the definitions in src/activations/: do not edit.
#include "tfa_math32.h"
${parts.join('')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--helpers32') {
  process.stdout.write(await generateHelpers32());
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const {source, missing} = await generateSource();
  process.stdout.write(source);
  if (missing.length > 0) console.error(`no cpp bodies: ${missing.join(', ')}`);
}
