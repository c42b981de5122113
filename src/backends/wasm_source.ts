/**
 * The C source of the package's WebAssembly SIMD module, generated from the
 * definitions' `wasm` bodies (scripts/build-wasm.mjs compiles it with
 * clang --target=wasm32 -msimd128 and embeds the binary). Every loop is
 * written as a plain scalar loop over float32 in, float64 math, float32 out;
 * clang's loop vectorizer turns each into f64x2/f32x4 SIMD code.
 *
 * The module imports its memory (the wasm backend's heap, or the cpu
 * kernels' chunk buffer), has no data segment (no tables, no string or
 * array constants) and uses no stack: it can run in place on any memory.
 */
import type {ActivationDefinition, ElementwiseActivation} from '../definition';
import {WASM_MATH} from './wasm_math';

/** Exported function names of one activation in the module. */
export interface WasmExports {
  forward: string;
  derivative: string;
  second?: string;
}

/** The activations the module has loops for. */
export function wasmDefinitions(defs: readonly ActivationDefinition[]): ElementwiseActivation[] {
  return defs.filter((d): d is ElementwiseActivation => d.kind === 'elementwise' && d.wasm !== undefined);
}

export function wasmExports(def: ElementwiseActivation): WasmExports {
  return {
    forward: `${def.keras}_f`,
    derivative: `${def.keras}_d1`,
    ...(def.wasm?.second !== undefined ? {second: `${def.keras}_d2`} : {}),
  };
}

/**
 * A body that calls no `wm_*` helper uses only IEEE-754 operations that are
 * correctly rounded in float64 (+ − × ÷ √, comparisons, |x|), exactly as the
 * JS scalar definition does: its results are bit-identical to the cpu loops.
 */
export function wasmExact(def: ElementwiseActivation): boolean {
  const w = def.wasm;
  const helper = /\bwm_(?!abs\b|sqrt\b)\w+\s*\(/;
  return w !== undefined && ![w.forward, w.derivative, w.second ?? ''].some(b => helper.test(b));
}

const PRELUDE = `// Generated from the activation definitions (src/activations/*.ts, their \`wasm\` bodies).
#define EXPORT(name) __attribute__((export_name(name)))
#define U double u0, double u1, double u2, double u3
#define INF __builtin_inf()
// Helpers are always inlined into the loops: a call left in a loop keeps it from being vectorized.
#define WM static inline __attribute__((always_inline))
WM double wm_abs(double x) { return __builtin_fabs(x); }
WM double wm_sqrt(double x) { return __builtin_sqrt(x); }
// The largest float32 ≤ u: for a float32 x, x > u exactly when x > wm_rd32(u) (and x < −u when x < −wm_rd32(u)),
// so float32 bodies compare with float64 parameters exactly. Loop-invariant: computed once per call.
static inline float wm_rd32(double u) {
  float f = (float)u;
  unsigned b = __builtin_bit_cast(unsigned, f);
  unsigned down = f > 0 ? b - 1 : (f < 0 ? b + 1 : 0x80000001u);
  return (double)f > u ? __builtin_bit_cast(float, down) : f;
}
`;

function scalar(name: string, body: string, type = 'double'): string {
  return (
    `static inline ${type} ${name}(${type} x, U) {\n  (void)u0; (void)u1; (void)u2; (void)u3;\n` +
    `${body.replace(/^\n+/, '')}\n}\n`
  );
}

// n is a multiple of 4 (the caller runs the last block again, overlapping, for the rest): no scalar
// remainder loop. float64 bodies in f64x2 lanes, one vector per iteration (the smallest code at full
// speed); float32 bodies in f32x4 lanes.
const VECTOR = (lanes: number) => `_Pragma("clang loop vectorize_width(${lanes}) interleave_count(1)")`;
// The second derivative (tf.grad of tf.grad only) stays scalar and calls the helpers out of line: small code.
const SCALAR = '_Pragma("clang loop vectorize(disable) unroll(disable)")';

/** One element loop: `fn` over x (and dy), in `type`; NaN in gives NaN out (by a select unless `fn` keeps NaN). */
function loop(fn: string, type: string, pragma: string, withDy: boolean, keepsNaN = false): string {
  const y = withDy ? `(${type})dys[i] * ${fn}(x, u0, u1, u2, u3)` : `${fn}(x, u0, u1, u2, u3)`;
  return `${pragma}
  for (int i = 0; i < n; i++) {
    ${type} x = xs[i];
    ${type} y = ${y};
    out[i] = ${keepsNaN ? '(float)y' : 'x == x ? (float)y : xs[i]'};
  }`;
}

function loops(def: ElementwiseActivation): string {
  const c = def.keras,
    e = wasmExports(def),
    w = def.wasm!,
    f32 = w.float32;
  const body = (fn: string, f32fn: string | undefined, withDy: boolean, pragma = VECTOR(2), keepsNaN = false) => {
    const plain = loop(fn, 'double', pragma, withDy);
    if (f32fn === undefined) return plain;
    // exact = 1 (the cpu kernels, bit-identical to their JS loops): float32 bodies within some ULP are skipped,
    // and NaN goes through the select (a body's own NaN may differ in sign or payload from the input's)
    const when = f32?.when ?? '1';
    const f32loop = (nan: boolean) => loop(f32fn, 'float', VECTOR(4), withDy, nan);
    if (f32?.ulp !== undefined) {
      return `if (!exact && (${when})) {\n  ${f32loop(keepsNaN)}\n  } else {\n  ${plain}\n  }`;
    }
    if (keepsNaN) {
      return (
        `if (!exact && (${when})) {\n  ${f32loop(true)}\n  } else if (${when}) {\n  ${f32loop(false)}\n  } ` +
        `else {\n  ${plain}\n  }`
      );
    }
    return `if (${when}) {\n  ${f32loop(false)}\n  } else {\n  ${plain}\n  }`;
  };
  const fwd = `EXPORT("${e.forward}") void ${c}_forward(const float *restrict xs, float *restrict out, int n, int exact,
    U) {
  n &= ~3;
  (void)exact;
  ${body(`${c}_f`, f32?.forward !== undefined ? `${c}_f32` : undefined, false, VECTOR(2), f32?.keepsNaN === true)}
}
`;
  const back = (order: number, fn: string, f32fn: string | undefined, name: string) =>
    `EXPORT("${name}") void ${c}_d${order}(const float *restrict xs, const float *restrict dys, float *restrict out,
    int n, int exact, U) {
  n &= ~3;
  (void)exact;
  ${body(fn, f32fn, true, order === 1 ? VECTOR(2) : SCALAR)}
}
`;
  return (
    fwd +
    back(1, `${c}_df`, f32?.derivative !== undefined ? `${c}_df32` : undefined, e.derivative) +
    (w.second !== undefined ? back(2, `${c}_d2f`, undefined, e.second!) : '')
  );
}

const HELPERS = [...WASM_MATH.matchAll(/WM double (wm_\w+)\(double/g)].map(m => m[1]);
/** Out-of-line copies of the helpers (`wm_exp_call`...), for the scalar second-derivative loops. */
const CALLS = HELPERS.map(h => {
  const args = new RegExp(`WM double ${h}\\(([^)]*)\\)`).exec(WASM_MATH)![1];
  const names = args
    .split(',')
    .map(a => a.trim().split(' ').pop())
    .join(', ');
  return `__attribute__((noinline)) static double ${h}_call(${args}) { return ${h}(${names}); }\n`;
}).join('');
const OUT_OF_LINE = HELPERS.map(h => `#define ${h} ${h}_call\n`).join('');
const INLINE = HELPERS.map(h => `#undef ${h}\n`).join('');

/** The whole C translation unit. */
export function wasmSource(defs: readonly ActivationDefinition[]): string {
  const parts = [PRELUDE, WASM_MATH, CALLS];
  for (const def of wasmDefinitions(defs)) {
    const w = def.wasm!,
      c = def.keras;
    parts.push(`\n// ${def.keras}: ${def.formula}\n`);
    parts.push(scalar(`${c}_f`, w.forward), scalar(`${c}_df`, w.derivative));
    if (w.float32?.forward !== undefined) parts.push(scalar(`${c}_f32`, w.float32.forward, 'float'));
    if (w.float32?.derivative !== undefined) parts.push(scalar(`${c}_df32`, w.float32.derivative, 'float'));
    if (w.second !== undefined) parts.push(OUT_OF_LINE, scalar(`${c}_d2f`, w.second), INLINE);
    parts.push(loops(def));
  }
  return parts.join('');
}
