import {add, concat, mul, sigmoid as sigmoidOp, split, sub} from '@tensorflow/tfjs-core';
import {alongAxis} from '../definition';
import {sigmoid} from '../math';
import {mapPass} from '../backends/webgl_axis';
import {flatAxisProgram, runAxis} from '../backends/webgpu_axis';

/**
 * webgpu: a·σ(b) (NaN from either), and from one exp(−|b|) = (1 + p)·2^k
 * both dy·σ(b) (NaN only from b, as cpu and tensorflow) and dy·a·σ(b)σ(−b):
 * the arithmetic of ta_sigmoid_mul and ta_dsigmoid_mul (wgsl_math.ts).
 */
const GLU_WGSL = `
fn ta_glu(a: f32, b: f32) -> f32 {
  return select(ta_sigmoid_mul(b, a), a + b, ta_isnan(a) || ta_isnan(b));
}
fn ta_glu_grad(a: f32, b: f32, dy: f32) -> vec2<f32> {
  let e = ta_exp_pk(-min(abs(b), 170.0), 0.0);
  let d = 1.0 + ta_scale(1.0 + e.x, e.y);
  let num = select(dy, ta_scale(dy + dy * e.x, e.y), b < 0.0);
  let da = ta_zsign(select(num / d, ta_z, b < -170.0), dy);
  let f = dy * a;
  let q = (f / d) / d;
  let db = ta_zsign(select(ta_scale(q + q * e.x, e.y), ta_z, abs(b) > 170.0), f);
  return vec2<f32>(select(da, b, ta_isnan(b)), select(db, a + b, ta_isnan(a) || ta_isnan(b)));
}`;

/** webgpu: the element (or vec4) `index` of the output's half-block [o, 1, L] and its a, b in x's [o, 2, L]. */
const GLU_HALVES_WGSL = `
    let oi = index / L;
    let k = index + oi * L;  // (2·oi)·L + (index − oi·L)
    let a = X[k];
    let g = X[k + L];`;

/**
 * glu: split the axis in halves a | b and return a·sigmoid(b); the output
 * is half as long on that axis. Backward from the input:
 * da = dy·σ(b), db = dy·a·σ(b)σ(−b).
 */
export const glu = alongAxis({
  id: 'glu',
  keras: 'glu',
  doc: 'Gated linear unit; halves the size of its axis.',
  formula: 'a·sigmoid(b), where [a, b] = x split in two halves along axis',
  axisKind: 'axis',
  halvesAxis: true,
  params: [{name: 'axis', keras: 'axis', kind: 'axis', default: -1, doc: 'the axis to split'}],
  cpu: {
    forward(x, out, outer, n, inner) {
      const h = n >> 1,
        half = h * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * n * inner,
          dst = o * half;
        for (let k = 0; k < half; k++) out[dst + k] = x[src + k] * sigmoid(x[src + half + k]);
      }
    },
    backward(x, dy, dx, outer, n, inner) {
      const h = n >> 1,
        half = h * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * n * inner,
          dst = o * half;
        for (let k = 0; k < half; k++) {
          const a = x[src + k],
            b = x[src + half + k],
            g = dy[dst + k];
          const s = sigmoid(b);
          dx[src + k] = g * s;
          dx[src + half + k] = g * a * s * sigmoid(-b);
        }
      }
    },
  },
  backwardGrad(x, dy, g, axes) {
    // glu's backward already takes x
    const [a, b] = split(x, 2, axes[0]);
    const [ga, gb] = split(g, 2, axes[0]);
    const s = sigmoidOp(b);
    const ds = mul(s, sub(1, s)); // σ'
    const dds = mul(ds, sub(1, mul(2, s))); // σ''
    const dA = mul(mul(gb, dy), ds);
    const dB = add(mul(mul(ga, dy), ds), mul(mul(gb, dy), mul(a, dds)));
    return [concat([dA, dB], axes[0]), add(mul(ga, s), mul(mul(gb, a), ds))];
  },
  tensorflow: {
    // float64; SoftplusGrad(a, b) = a·σ(b).
    forward(x, axes, nat) {
      const [a, b] = nat.split2(nat.f64(x), axes[0]);
      return nat.op('SoftplusGrad', [a, b]);
    },
    // da = dy·σ(b), db = da·a·σ(−b)
    backward(x, dy, axes, nat) {
      const [a, b] = nat.split2(nat.f64(x), axes[0]);
      const da = nat.op('SoftplusGrad', [nat.f64(dy), b]);
      return nat.concat2(da, nat.op('SoftplusGrad', [nat.mul(da, a), nat.op('Neg', [b])]), axes[0]);
    },
  },
  webgl: {
    forward(ctx, X, o, n, i) {
      const h = n / 2;
      return mapPass(
        ctx,
        [X],
        ['X'],
        [o, h, i],
        `float a = getX(o, j, i), b = getX(o, j + ${h}, i);
  if (ta_isnan(a) || ta_isnan(b)) return a + b;
  return ta_sigmoid_mul(b, a);`,
      );
    },
    backward(ctx, X, D, o, n, i) {
      const h = n / 2;
      // da = dy·σ(b), db = dy·a·σ(b)σ(−b)
      return mapPass(
        ctx,
        [X, D],
        ['X', 'D'],
        [o, n, i],
        `int k = j < ${h} ? j : j - ${h};
  float a = getX(o, k, i), b = getX(o, k + ${h}, i), g = getD(o, k, i);
  // da = dy·σ(b) does not involve a: NaN only from b (as cpu and tensorflow)
  if (j < ${h}) return ta_isnan(b) ? b : ta_sigmoid_mul(b, g);
  if (ta_isnan(a) || ta_isnan(b)) return a + b;
  return ta_dsigmoid_mul(b, g * a);`,
      );
    },
  },
  // webgpu: over the half-blocks: x is [o, 2, L] with L = n/2·inner, the output [o, 1, L]; a thread per output
  // element forward, per (a, b) pair backward; vec4s when L is a multiple of 4
  webgpu: {
    forward(b, X, o, n, i, shape) {
      const vec4 = ((n / 2) * i) % 4 === 0;
      const f = (a: string, g: string) => `ta_glu(${a}, ${g})`;
      return runAxis(
        b,
        flatAxisProgram(
          'glu_f',
          ['X'],
          (o * n * i) / 2,
          `${GLU_HALVES_WGSL}
    result[index] = ${vec4 ? `vec4<f32>(${['x', 'y', 'z', 'w'].map(c => f(`a.${c}`, `g.${c}`)).join(', ')})` : f('a', 'g')};`,
          GLU_WGSL,
          vec4,
        ),
        [X],
        [o, n, i],
        shape,
      );
    },
    backward(b, X, D, o, n, i, shape) {
      const vec4 = ((n / 2) * i) % 4 === 0;
      const lane = (c: string) => `ta_glu_grad(a${c}, g${c}, dy${c})`;
      return runAxis(
        b,
        flatAxisProgram(
          'glu_b',
          ['X', 'D'],
          o * n * i,
          `${GLU_HALVES_WGSL}
    let dy = D[index];` +
            (vec4
              ? `
    let d0 = ${lane('.x')};
    let d1 = ${lane('.y')};
    let d2 = ${lane('.z')};
    let d3 = ${lane('.w')};
    result[k] = vec4<f32>(d0.x, d1.x, d2.x, d3.x);
    result[k + L] = vec4<f32>(d0.y, d1.y, d2.y, d3.y);`
              : `
    let d = ${lane('')};
    result[k] = d.x;
    result[k + L] = d.y;`),
          GLU_WGSL,
          vec4,
          2,
        ),
        [X, D],
        [o, n, i],
        shape,
      );
    },
  },

  test: {
    axisCases: [
      {shape: [3, 6], options: {}},
      {shape: [4, 2], options: {axis: 0}},
      {shape: [5, 8], options: {axis: -1}},
      {shape: [2, 4, 3], options: {axis: 1}},
      {shape: [2, 6, 3], options: {axis: 1}},
      {shape: [4, 6, 8], options: {axis: -1}},
      {shape: [4, 6, 8], options: {axis: 0}},
      {shape: [4, 6, 8], options: {axis: 1}, scale: 30},
    ],
  },
  budget: {tensorflowLaunches: [4, 9]},
  bench: {
    composite: {
      what: 'split, a·sigmoid(b)',
      fn: (tf, x) => {
        const [a, b] = tf.split(x, 2, -1);
        return tf.mul(a, tf.sigmoid(b));
      },
    },
  },
  note: 'Gated layers (gated convolutions, GLU feed-forward blocks): half the features gate the other half.',
  cpp: {
    // (the contiguous case written apart so that it vectorises)
    forward: `
      const int64 h = n / 2;
      if (s == 1) {
        // float32 lanes: a·σ(b) with tfa_math32.h's sigmoid32 (3 ULP in all; the same results on every CPU path);
        // |b| > 86 (σ near float32's normal limit, ±inf) again in float64, in a second pass over those only
        int rare = 0;
        for (int64 j = 0; j < h; j++) {
          const float a = x[j], b = x[h + j];
          y[j] = a * sigmoid32(b);
          rare |= std::fabs(b) > 86.0f;
        }
        if (rare != 0) {
          for (int64 j = 0; j < h; j++) {
            if (std::fabs(x[h + j]) > 86.0f) y[j] = static_cast<float>(x[j] * sigmoid(x[h + j]));
          }
        }
      } else {
        for (int64 j = 0; j < h; j++) y[j * s] = static_cast<float>(x[j * s] * sigmoid(x[(h + j) * s]));
      }`,
    backward: `
      const int64 h = n / 2;
      if (s == 1) {
        for (int64 j = 0; j < h; j++) {
          const double a = x[j], b = x[h + j], g = dy[j], sg = sigmoid(b);
          dx[j] = static_cast<float>(g * sg);
          dx[h + j] = static_cast<float>(g * a * sg * sigmoid(-b));
        }
      } else {
        for (int64 j = 0; j < h; j++) {
          const double a = x[j * s], b = x[(h + j) * s], g = dy[j * s], sg = sigmoid(b);
          dx[j * s] = static_cast<float>(g * sg);
          dx[(h + j) * s] = static_cast<float>(g * a * sg * sigmoid(-b));
        }
      }`,
  },
  wasm: {
    // a row is one outer slab, [a | b] of h each (any axis): a·σ(b) as (b ≥ 0 ? a : a·e)/(1 + e), e = exp(−|b|),
    // in float32 (within 3 ULP); |b| > 87 (a subnormal e): float64
    forward: `
      int h = n >> 1;
      I32 any = I32{};
      for (int j = 0, k = h; j < h; j += 4, k -= 4) {
        F a = ldk(x + j, k, 0), b = ldk(x + h + j, k, 0), e = wm_expn(wm_negabs(b));
        stk(y + j, (b >= 0 ? a : a * e) / (1 + e), k);
        any |= wm_negabs(b) < -87.0f;
      }
      // (a second pass, only when needed: a call in the loop above would cost it its registers)
      if (wasm_v128_any_true((v128_t)any)) {
        for (int j = 0, k = h; j < h; j += 4, k -= 4) {
          F a = ldk(x + j, k, 0), b = ldk(x + h + j, k, 0);
          I32 slow = wm_negabs(b) < -87.0f;
          if (!wasm_v128_any_true((v128_t)slow)) continue;
          F y64 = join2(f32(f64(a) * wm_sigmoid(f64(b))), f32(f64(high(a)) * wm_sigmoid(f64(high(b)))));
          stk(y + j, slow ? y64 : ldk(y + j, k, 0), k);
        }
      }
      return 1;`,
    // dy·σ(b) as above, dy·a·σ(b)σ(−b) as ((dy·a)·r²)·e, r = 1/(1 + e) (within 7 ULP); float64 where |b| > 87 or
    // dy·a overflows float32
    backward: `
      int h = n >> 1;
      I32 any = I32{};
      for (int j = 0, k = h; j < h; j += 4, k -= 4) {
        F a = ldk(x + j, k, 0), b = ldk(x + h + j, k, 0), g = ldk(dy + j, k, 0);
        F e = wm_expn(wm_negabs(b)), r = 1 / (1 + e), ga = g * a;
        stk(dx + j, (b >= 0 ? g : g * e) / (1 + e), k);
        stk(dx + h + j, ga * (r * r) * e, k);
        any |= wm_negabs(b) < -87.0f || wm_abs(ga) == INF;
      }
      if (wasm_v128_any_true((v128_t)any)) {
        for (int j = 0, k = h; j < h; j += 4, k -= 4) {
          F a = ldk(x + j, k, 0), b = ldk(x + h + j, k, 0), g = ldk(dy + j, k, 0);
          I32 slow = wm_negabs(b) < -87.0f || wm_abs(g * a) == INF;
          if (!wasm_v128_any_true((v128_t)slow)) continue;
          D al = f64(a), ah = f64(high(a)), bl = f64(b), bh = f64(high(b)), gl = f64(g), gh = f64(high(g));
          D sl = wm_sigmoid(bl), sh = wm_sigmoid(bh);
          stk(dx + j, slow ? join2(f32(gl * sl), f32(gh * sh)) : ldk(dx + j, k, 0), k);
          F db = join2(f32(gl * al * sl * wm_sigmoid(-bl)), f32(gh * ah * sh * wm_sigmoid(-bh)));
          stk(dx + h + j, slow ? db : ldk(dx + h + j, k, 0), k);
        }
      }
      return 1;`,
  },
});
