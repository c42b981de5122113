/**
 * The C++ source of the package's WebAssembly SIMD module, generated from the
 * definitions' `wasm` bodies (scripts/build-wasm.mjs compiles it with
 * clang --target=wasm32 -msimd128 and embeds the binary). Bodies are written
 * on clang's vector types: `D` is two float64 lanes (f64x2), `F` four float32
 * lanes (f32x4); comparisons and `?:` work lane by lane. Each exported loop
 * is one explicit vector loop (float32 in, float64 math two at a time or
 * float32 math sixteen at a time, float32 out): no scalar copies; the float64
 * `wm_*` helpers are called out of line (one copy each), the float32 ones
 * (exp, ...) inlined.
 *
 * The module imports its memory (the wasm backend's heap, or the cpu
 * kernels' chunk buffer), has no data segment (no tables, no string or
 * array constants) and uses no stack: it can run in place on any memory.
 */
import type {ActivationDefinition, ElementwiseActivation} from '../definition';
import {WASM_MATH} from './wasm_math';
import {wasmAxisSource} from './wasm_axis_source';

/** Exported function names of one activation in the module. */
export interface WasmExports {
  forward: string;
  derivative: string;
}

/** The activations the module has loops for. */
export function wasmDefinitions(defs: readonly ActivationDefinition[]): ElementwiseActivation[] {
  return defs.filter((d): d is ElementwiseActivation => d.kind === 'elementwise' && d.wasm !== undefined);
}

export function wasmExports(def: ElementwiseActivation): WasmExports {
  return {forward: `${def.keras}_f`, derivative: `${def.keras}_d1`};
}

/** The `wm_*` helpers that are one exact instruction each (|x|, −|x|, √, pmin/pmax, and, andnot) or a mask test. */
const ONE_INSTRUCTION = ['any', 'abs', 'negabs', 'sqrt', 'pmin', 'pmax', 'and', 'andnot'];

/** A call of a `wm_*` helper other than those named. */
function helperCall(except: string[]): RegExp {
  return new RegExp(`\\bwm_(?!${except.map(h => `${h}\\b`).join('|')})\\w+\\s*\\(`);
}

/** A call of a helper that is not one exact instruction. */
const INEXACT_CALL = helperCall(ONE_INSTRUCTION);

/**
 * A body that calls no `wm_*` helper uses only IEEE-754 operations that are
 * correctly rounded in float64 (+ − × ÷ √, comparisons, |x|), exactly as the
 * JS scalar definition does: its results are bit-identical to the cpu loops.
 */
export function wasmExact(def: ElementwiseActivation): boolean {
  const w = def.wasm;
  return w !== undefined && ![w.forward, w.derivative].some(b => INEXACT_CALL.test(b));
}

const PRELUDE = `// Generated from the activation definitions (src/activations/*.ts, their \`wasm\` bodies).
#include <wasm_simd128.h>
typedef double D __attribute__((vector_size(16)));
typedef float F __attribute__((vector_size(16)));
typedef long long I64 __attribute__((vector_size(16)));
typedef int I32 __attribute__((vector_size(16)));
#define EXPORT(name) extern "C" __attribute__((export_name(name)))
#define U double u0, double u1, double u2, double u3
#define INF __builtin_inf()
#define WM static inline __attribute__((always_inline))
// Shared helpers: one out-of-line copy each, called from the loops.
#define WMC static __attribute__((noinline))
WM D wm_abs(D x) { return (D)wasm_f64x2_abs((v128_t)x); }
// some lane of a comparison's mask is true
WM bool wm_any(I64 m) { return wasm_v128_any_true((v128_t)m); }
WM bool wm_any(I32 m) { return wasm_v128_any_true((v128_t)m); }
WM F wm_abs(F x) { return (F)wasm_f32x4_abs((v128_t)x); }
WM D wm_sqrt(D x) { return (D)wasm_f64x2_sqrt((v128_t)x); }
// b < a ? b : a and a < b ? b : a, one instruction each (f32x4.pmin/pmax): x, a bound, or NaN when x is NaN
// as the first operand.
WM F wm_pmin(F a, F b) { return (F)wasm_f32x4_pmin((v128_t)a, (v128_t)b); }
WM F wm_pmax(F a, F b) { return (F)wasm_f32x4_pmax((v128_t)a, (v128_t)b); }
WM D wm_pmin(D a, D b) { return (D)wasm_f64x2_pmin((v128_t)a, (v128_t)b); }
WM D wm_pmax(D a, D b) { return (D)wasm_f64x2_pmax((v128_t)a, (v128_t)b); }
// x where the lane mask m is false, +0 where true (one v128.andnot)
WM F wm_andnot(F x, I32 m) {
  v128_t r;  // in assembly: clang 14 would turn it into a select against a zero constant (longer code)
  __asm__("local.get %1\\n\\tlocal.get %2\\n\\tv128.andnot\\n\\tlocal.set %0" : "=r"(r) : "r"((v128_t)x), "r"((v128_t)m));
  return (F)r;
}
// x where the lane mask m is true, +0 where false (one v128.and; clang would make it a select: four x64 instructions)
WM F wm_and(F x, I32 m) {
  v128_t r;
  __asm__("local.get %1\\n\\tlocal.get %2\\n\\tv128.and\\n\\tlocal.set %0" : "=r"(r) : "r"((v128_t)x), "r"((v128_t)m));
  return (F)r;
}
WM F wm_pmin(F a, float b) { return wm_pmin(a, F{} + b); }
WM F wm_pmax(F a, float b) { return wm_pmax(a, F{} + b); }
// The largest float32 ≤ u: for a float32 x, x > u exactly when x > wm_rd32(u) (and x < −u when x < −wm_rd32(u)),
// so float32 bodies compare with float64 parameters exactly. Loop-invariant: computed once per call.
static inline __attribute__((always_inline, const)) float wm_rd32(double u) {
  float f = (float)u;
  unsigned b = __builtin_bit_cast(unsigned, f);
  unsigned down = f > 0 ? b - 1 : (f < 0 ? b + 1 : 0x80000001u);
  return (double)f > u ? __builtin_bit_cast(float, down) : f;
}
// Four float32 (unaligned), two float32 promoted to float64, and back.
WM F ld4(const float *p) { return (F)wasm_v128_load(p); }
WM void st4(float *p, F v) { wasm_v128_store(p, (v128_t)v); }
// The conversions as the single instructions, written in assembly (LLVM 14's names): clang 14 would demote
// lane by lane, and, seeing a promoted float, compare in float32 and widen the masks (longer code).
WM D f64(F v) {
  v128_t r;
  __asm__("local.get %1\\n\\tf64x2.promote_low_f32x4\\n\\tlocal.set %0" : "=r"(r) : "r"((v128_t)v));
  return (D)r;
}
WM F f32(D v) {
  v128_t r;
  __asm__("local.get %1\\n\\tf32x4.demote_zero_f64x2\\n\\tlocal.set %0" : "=r"(r) : "r"((v128_t)v));
  return (F)r;
}
WM F ld2f(const float *p) { return (F)wasm_v128_load64_zero(p); }
WM void st2(float *p, F v) { wasm_v128_store64_lane(p, (v128_t)v, 0); }
// lanes 2, 3 of v in lanes 0, 1; lanes 0, 1 of a and of b in one vector
WM F high(F v) { return __builtin_shufflevector(v, v, 2, 3, 2, 3); }
WM F join2(F a, F b) { return __builtin_shufflevector(a, b, 0, 1, 4, 5); }
`;

function scalar(name: string, body: string, type: 'D' | 'F', withDy = false): string {
  const dy = withDy ? ', F dy' : '';
  return (
    `static inline __attribute__((always_inline)) ${type} ${name}(${type} x${dy}, U) {\n` +
    `  (void)u0; (void)u1; (void)u2; (void)u3;${withDy ? ' (void)dy;' : ''}\n${body.replace(/^\n+/, '')}\n}\n`
  );
}

// Explicit vector loops: clang must neither vectorize nor unroll them again.
const PLAIN = '_Pragma("clang loop vectorize(disable) unroll(disable)")';
const UNROLL = '_Pragma("clang loop unroll(full)")';

/** Elements per iteration of the float32 loops (four f32x4 vectors): n is always a multiple of it. */
export const WASM_BLOCK = 16;

/**
 * One element loop over n > 0, a multiple of WASM_BLOCK (the caller runs the last block again, overlapping,
 * for the rest): `fn` over x (and dy), float32 bodies sixteen elements per iteration (four vectors: the
 * piecewise-linear loops are bound by the loop's own instructions otherwise, the exp family by one vector's
 * dependency chain), float64 bodies two lanes at a time (bound by their arithmetic). NaN in gives NaN out (the input's own NaN, by a select after rounding,
 * unless `fn` keeps NaN by itself).
 */
function loop(fn: string, type: 'D' | 'F', withDy: boolean, keepsNaN = false, wide = false, f32?: Float32Loop): string {
  const nan = (y: string) => (keepsNaN ? y : `x32 == x32 ? ${y} : x32`);
  if (type === 'F') {
    // Lanes in the fallback mask get the float64 body in a second pass, run only when some lane needs it (a call
    // inside the main loop would make V8 keep the body's constants on the stack).
    const dy = withDy ? 'F dy = ld4(dys + i);\n    ' : '';
    const call = `${fn}(x32${withDy ? ', dy' : ''}, u0, u1, u2, u3)`;
    const y = withDy && f32?.usesDy !== true ? `dy * ${call}` : call;
    // four vectors per iteration (WASM_BLOCK), all loaded before any is computed and stored after: V8 then
    // overlaps their arithmetic (the exp family 1.3–1.7× faster per 1M, elu 1.35 → 0.98 ms; one vector per
    // iteration, or the same four each loaded, computed and stored in turn: no gain)
    const dyl = withDy
      ? `F dyv[4];\n    ${UNROLL}\n    for (int j = 0; j < 4; j++) dyv[j] = ld4(dys + i + 4 * j);\n    `
      : '';
    const main = (mask: string, decl = '\n  I32 any = I32{};') => `int i = 0;${mask ? decl : ''}
  ${PLAIN}
  do {
    F xv[4], yv[4];
    ${UNROLL}
    for (int j = 0; j < 4; j++) xv[j] = ld4(xs + i + 4 * j);
    ${dyl}${UNROLL}
    for (int j = 0; j < 4; j++) {
      F x32 = xv[j];${withDy ? '\n      F dy = dyv[j];' : ''}
      F y = ${y};${mask}
      yv[j] = ${nan('y')};
    }
    ${UNROLL}
    for (int j = 0; j < 4; j++) st4(out + i + 4 * j, yv[j]);
  } while ((i += ${WASM_BLOCK}) < n);`;
    if (f32?.fallback === undefined) return main('');
    const d = `${f32.double!}_call`;
    const lane = (h: string) =>
      withDy ? `f64(${h}(dy)) * ${d}(f64(${h}(x32)), u0, u1, u2, u3)` : `${d}(f64(${h}(x32)), u0, u1, u2, u3)`;
    const mask = `{
      F x = x32;${withDy ? '' : '\n      F dy = F{} + 1;  // (a mask naming dy: false for the forward)'}
      (void)x;
      (void)dy;
      I32 slow = (I32)(${f32.fallback});`;
    // A mask `g(x) < bound` with g = x or −|x|: the main loop keeps the lanes' least g(x) (one pmin, NaN passed
    // over, where a compare and an or took two: elu′ and sigmoid′ 3 % faster), compared with the bound once after.
    const bound = /^(x|wm_negabs\(x\)) < (.+)$/s.exec(f32.fallback);
    const least = bound !== null && !/\bx\b|\|\||&&/.test(bound[2]) ? bound : null;
    const first = least
      ? `${main(`\n      low = wm_pmin(low, ${least[1].replace('x', 'x32')});`, '\n  F low = F{} + INF;')}
  I32 any = (I32)(low < (${least[2]}));`
      : main(`\n    ${mask}\n      any |= slow;\n    }`);
    return `${first}
  if (!wasm_v128_any_true((v128_t)any)) return;
  i = 0;
  ${PLAIN}
  do {
    F x32 = ld4(xs + i);
    ${dy}${mask}
      if (wasm_v128_any_true((v128_t)slow)) {
        F y = join2(f32(${lane('')}), f32(${lane('high')}));
        st4(out + i, slow ? ${nan('y')} : ld4(out + i));
      }
    }
  } while ((i += 4) < n);`;
  }
  if (!wide) {
    const y1 = withDy ? `f64(ld2f(dys + i)) * ${fn}(f64(x32), u0, u1, u2, u3)` : `${fn}(f64(x32), u0, u1, u2, u3)`;
    return `int i = 0;
  ${PLAIN}
  do {
    F x32 = ld2f(xs + i);
    F y = f32(${y1});
    st2(out + i, ${nan('y')});
  } while ((i += 2) < n);`;
  }
  // exact bodies (the cpu kernels run them): four elements per iteration, the low and the high pair of one
  // f32x4 load each in f64x2 (the body twice: they are short)
  const y = (h: string) =>
    withDy
      ? `f64(${h}(ld4(dys + i))) * ${fn}(f64(${h}(x32)), u0, u1, u2, u3)`
      : `${fn}(f64(${h}(x32)), u0, u1, u2, u3)`;
  return `int i = 0;
  ${PLAIN}
  do {
    F x32 = ld4(xs + i);
    F y = join2(f32(${y('')}), f32(${y('high')}));
    st4(out + i, ${nan('y')});
  } while ((i += 4) < n);`;
}

/** How a float32 loop calls its body: a float64 fallback for some lanes. */
interface Float32Loop {
  fallback?: string;
  /** the float64 body (`D` over x) the fallback lanes run */
  double?: string;
  /** the derivative body multiplies by `dy` itself */
  usesDy?: boolean;
}

function loops(def: ElementwiseActivation): string {
  const c = def.keras,
    e = wasmExports(def),
    w = def.wasm!,
    f32 = w.float32;
  const body = (fn: string, f32fn: string | undefined, withDy: boolean, keepsNaN = false) => {
    const plain = loop(fn, 'D', withDy, false, !withDy && wasmExact(def));
    if (f32fn === undefined) return plain;
    // exact = 1 (the cpu kernels, bit-identical to their JS loops): float32 bodies within some ULP are skipped.
    // An exact body that keeps NaN returns the input itself for NaN: one loop serves both.
    const when = f32?.when;
    const f32body = withDy ? f32!.derivative! : f32!.forward!;
    const f32loopOf = (name: string, text: string) =>
      loop(name, 'F', withDy, keepsNaN, false, {
        fallback: typeof f32?.fallback === 'string' ? f32.fallback : f32?.fallback?.[withDy ? 'derivative' : 'forward'],
        double: fn,
        usesDy: withDy && /\bdy\b/.test(text),
      });
    let f32loop = f32loopOf(f32fn, f32body);
    const special = withDy ? f32?.derivativeIf : undefined;
    if (special !== undefined) {
      // a loop of its own while the (loop-invariant) condition holds: a branch inside the body would be evaluated
      // as a select of both sides
      f32loop = `if (${special.when}) {\n  ${f32loopOf(`${f32fn}_if`, special.derivative)}\n  } else {\n  ${f32loop}\n  }`;
    }
    if (f32?.ulp !== undefined) {
      // the cpu kernels (exact = 1) never run a body that calls a helper: with no condition, no float64 loop
      if (when === undefined && !wasmExact(def)) return f32loop;
      return `if (!exact && (${when ?? '1'})) {\n  ${f32loop}\n  } else {\n  ${plain}\n  }`;
    }
    if (when === undefined) return f32loop;
    return `if (${when}) {\n  ${f32loop}\n  } else {\n  ${plain}\n  }`;
  };
  const fwd = `EXPORT("${e.forward}") void ${c}_forward(const float *xs, float *out, int n, int exact, U) {
  (void)exact;
  if (n <= 0) return;
  ${body(`${c}_f`, f32?.forward !== undefined ? `${c}_f32` : undefined, false, f32?.keepsNaN === true)}
}
`;
  const back = (order: number, fn: string, f32fn: string | undefined, name: string) =>
    `EXPORT("${name}") void ${c}_d${order}(const float *xs, const float *dys, float *out, int n, int exact, U) {
  (void)exact;
  if (n <= 0) return;
  ${body(fn, f32fn, true, f32?.derivativeKeepsNaN === true)}
}
`;
  return fwd + back(1, `${c}_df`, f32?.derivative !== undefined ? `${c}_df32` : undefined, e.derivative);
}

/** The whole C++ translation unit. */
export function wasmSource(defs: readonly ActivationDefinition[]): string {
  const parts = [PRELUDE, WASM_MATH];
  for (const def of wasmDefinitions(defs)) {
    const w = def.wasm!,
      c = def.keras;
    parts.push(`\n// ${def.keras}: ${def.formula}\n`);
    parts.push(scalar(`${c}_f`, w.forward, 'D'), scalar(`${c}_df`, w.derivative, 'D'));
    if (w.float32?.fallback !== undefined) {
      // the fallback lanes call the float64 bodies out of line (one copy, rarely run)
      for (const f of [`${c}_f`, `${c}_df`]) {
        parts.push(`static __attribute__((noinline)) D ${f}_call(D x, U) { return ${f}(x, u0, u1, u2, u3); }\n`);
      }
    }
    if (w.float32?.forward !== undefined) parts.push(scalar(`${c}_f32`, w.float32.forward, 'F'));
    if (w.float32?.derivative !== undefined) parts.push(scalar(`${c}_df32`, w.float32.derivative, 'F', true));
    if (w.float32?.derivativeIf !== undefined) {
      parts.push(scalar(`${c}_df32_if`, w.float32.derivativeIf.derivative, 'F', true));
    }
    parts.push(loops(def));
  }
  parts.push(wasmAxisSource(defs));
  return parts.join('');
}
