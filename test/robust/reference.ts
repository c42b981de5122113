/**
 * Float64 references for the property tests: elementwise activations from
 * their float64 definitions, the axis activations from plain float64 row
 * formulas written here (not the package's loops), with the rules of
 * docs/non-finite.md for rows containing NaN or ±inf.
 */
import type {ActivationDefinition} from '../../src/definition';
import {constantsOf} from '../../src/params';
import type {Params} from '../../src/definition';
import {nanAtNaN} from '../float32';

function rule(xs: number[]): 'nan' | number | undefined {
  if (xs.some(v => Number.isNaN(v))) return 'nan';
  const pos = xs.flatMap((v, i) => (v === Infinity ? [i] : []));
  if (pos.length > 1 || xs.every(v => v === -Infinity)) return 'nan';
  return pos.length === 1 ? pos[0] : undefined;
}

/** y and dx of one row (dy has the row's output length). */
export function referenceRow(id: string, xs: number[], dys: number[]): {y: number[]; dx: number[]} {
  const n = xs.length;
  const r = rule(xs);
  if (id === 'glu') {
    const h = n / 2,
      y: number[] = [],
      dx = new Array<number>(n);
    for (let j = 0; j < h; j++) {
      const a = xs[j],
        b = xs[j + h],
        g = dys[j];
      const s = 1 / (1 + Math.exp(-b)),
        sm = 1 / (1 + Math.exp(b));
      y.push(a * s);
      dx[j] = g * s;
      dx[j + h] = g * a * s * sm;
    }
    return {y, dx};
  }
  if (r === 'nan') return {y: xs.map(() => NaN), dx: xs.map(() => NaN)};
  if (typeof r === 'number') {
    if (id === 'logSoftmax') {
      const others = dys.reduce((p, g, i) => (i === r ? p : p + g), 0);
      return {y: xs.map((_, i) => (i === r ? 0 : -Infinity)), dx: dys.map((g, i) => (i === r ? -others : g))};
    }
    return {y: xs.map((_, i) => (i === r ? 1 : 0)), dx: xs.map(() => 0)};
  }
  const m = Math.max(...xs);
  if (id === 'softmax' || id === 'logSoftmax') {
    const e = xs.map(v => Math.exp(v - m));
    const s = e.reduce((p, v) => p + v, 0);
    const p = e.map(v => v / s);
    if (id === 'softmax') {
      const gy = dys.reduce((acc, g, i) => acc + g * p[i], 0);
      return {y: p, dx: p.map((pi, i) => pi * (dys[i] - gy))};
    }
    const l = Math.log(s),
      sg = dys.reduce((a, g) => a + g, 0);
    return {y: xs.map(v => v - m - l), dx: dys.map((g, i) => g - p[i] * sg)};
  }
  if (id === 'sparsemax') {
    const z = xs.map(v => v - m);
    const sorted = [...z].sort((a, b) => b - a);
    let c = 0,
      tau = -1;
    for (let k = 1; k <= n; k++) {
      c += sorted[k - 1];
      if (1 + k * sorted[k - 1] > c) tau = (c - 1) / k;
    }
    const on = z.map(v => v > tau);
    const count = on.filter(Boolean).length;
    const mean = dys.reduce((a, g, i) => (on[i] ? a + g : a), 0) / count;
    return {y: z.map(v => Math.max(v - tau, 0)), dx: dys.map((g, i) => (on[i] ? g - mean : 0))};
  }
  throw new Error(`no reference row for ${id}`);
}

/** Reference y and dx of a whole case; the layout is [outer, n, inner] along the (contiguous) axes. */
export function reference(
  def: ActivationDefinition,
  params: Params,
  shape: number[],
  x: Float32Array,
  dy: Float32Array,
  axes: number[],
): {y: Float64Array; dx: Float64Array} {
  if (def.kind === 'elementwise') {
    const u = constantsOf(def, params);
    const y = new Float64Array(x.length),
      dx = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      y[i] = Number.isNaN(x[i]) ? NaN : def.forward(x[i], u); // NaN in, NaN out (docs/non-finite.md)
      dx[i] = Number.isNaN(x[i]) && nanAtNaN(def, 1) ? NaN : dy[i] * def.derivative(x[i], u);
    }
    return {y, dx};
  }
  // move the axes last
  const rank = shape.length;
  const rest = shape.map((_, i) => i).filter(i => !axes.includes(i));
  const perm = [...rest, ...axes];
  const n = axes.reduce((p, a) => p * shape[a], 1);
  const halves = def.kind === 'axis' && def.halvesAxis === true;
  const yShape = shape.map((s, i) => (halves && i === axes[0] ? s / 2 : s));
  const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((p, q) => p * q, 1));
  const xs = strides(shape),
    ys = strides(yShape);
  const total = shape.reduce((p, q) => p * q, 1);
  const y = new Float64Array(yShape.reduce((p, q) => p * q, 1)),
    dx = new Float64Array(total);
  const outerShape = rest.map(i => shape[i]);
  const outerCount = outerShape.reduce((p, q) => p * q, 1);
  for (let o = 0; o < outerCount; o++) {
    const oi: number[] = [];
    let rem = o;
    for (let k = outerShape.length - 1; k >= 0; k--) {
      oi[k] = rem % outerShape[k];
      rem = Math.floor(rem / outerShape[k]);
    }
    // enumerate the row (axes in order, row-major over them)
    const axisShape = axes.map(a => shape[a]);
    const idx: number[][] = [];
    for (let j = 0; j < n; j++) {
      const ai: number[] = [];
      let r2 = j;
      for (let k = axisShape.length - 1; k >= 0; k--) {
        ai[k] = r2 % axisShape[k];
        r2 = Math.floor(r2 / axisShape[k]);
      }
      const full = new Array<number>(rank);
      rest.forEach((d, k) => {
        full[d] = oi[k];
      });
      axes.forEach((d, k) => {
        full[d] = ai[k];
      });
      idx.push(full);
    }
    const at = (full: number[], st: number[]) => full.reduce((p, v, d) => p + v * st[d], 0);
    const rowX = idx.map(f => x[at(f, xs)]);
    const outIdx = halves ? idx.slice(0, n / 2) : idx;
    const rowDy = outIdx.map(f => dy[at(f, ys)]);
    const r = referenceRow(def.id, rowX, rowDy);
    outIdx.forEach((f, j) => {
      y[at(f, ys)] = r.y[j];
    });
    idx.forEach((f, j) => {
      dx[at(f, xs)] = r.dx[j];
    });
  }
  void perm;
  return {y, dx};
}
