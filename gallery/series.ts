/**
 * The numbers behind a plot: f and f′ of an activation on a grid, computed by
 * the package's own ops and `tf.grad` on whatever backend tfjs runs (webgl
 * in the page, cpu for the README images).
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {ActivationDefinition} from '../src/definition';
import type {TfLike, View} from './view';

export type Op = (x: Tensor, options?: object) => Tensor;

export interface Curves {
  /** The grid as float32 values (what the op saw), as float64 numbers. */
  x: number[];
  f: number[];
  df: number[];
}

/** n evenly spaced float32 values from lo to hi. */
export function grid(lo: number, hi: number, n: number): Float32Array {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = lo + ((hi - lo) * i) / (n - 1);
  return g;
}

async function read(ts: Tensor[]): Promise<number[][]> {
  try {
    return (await Promise.all(ts.map(t => t.data()))).map(d => Array.from(d as Float32Array));
  } finally {
    ts.forEach(t => t.dispose());
  }
}

/** f(x) and f′(x) of an elementwise function on the grid. */
export async function elementwiseCurves(
  tf: TfLike,
  fn: (x: Tensor) => Tensor,
  lo: number,
  hi: number,
  n: number,
): Promise<Curves> {
  const g = grid(lo, hi, n);
  const [f, df] = tf.tidy(() => {
    const x = tf.tensor1d(g, 'float32');
    return [fn(x), tf.grad(fn)(x)];
  });
  const [fv, dfv] = await read([f, df]);
  return {x: Array.from(g), f: fv, df: dfv};
}

/**
 * An axis activation along a line: the vector `v` with component `sweep`
 * replaced by each grid value; f is output component `output`, f′ its
 * derivative with respect to the swept component.
 */
export async function axisCurves(
  tf: TfLike,
  fn: (x: Tensor) => Tensor,
  v: number[],
  sweep: number,
  output: number,
  lo: number,
  hi: number,
  n: number,
): Promise<Curves> {
  const g = grid(lo, hi, n),
    m = v.length,
    data = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) data[i * m + j] = j === sweep ? g[i] : v[j];
  }
  const [f, df] = tf.tidy(() => {
    const X = tf.tensor2d(data, [n, m], 'float32');
    const y = fn(X),
      width = y.shape[1] as number;
    const pick = tf.tensor2d(
      Array.from({length: width}, (_, j) => (j === output ? 1 : 0)),
      [1, width],
      'float32',
    );
    const dX = tf.grad(x => tf.sum(tf.mul(fn(x), pick)))(X);
    return [tf.reshape(tf.slice(y, [0, output], [n, 1]), [n]), tf.reshape(tf.slice(dX, [0, sweep], [n, 1]), [n])];
  });
  const [fv, dfv] = await read([f, df]);
  return {x: Array.from(g), f: fv, df: dfv};
}

/** The activation applied to one vector. */
export async function vectorOutput(tf: TfLike, fn: (x: Tensor) => Tensor, v: number[]): Promise<number[]> {
  const y = tf.tidy(() => fn(tf.tensor1d(v, 'float32')));
  return (await read([y]))[0];
}

/** The op of a definition with the given parameters (axis ones omitted: the default axis −1). */
export function opFor(ops: Record<string, unknown>, def: ActivationDefinition, params: object): (x: Tensor) => Tensor {
  const op = ops[def.id] as Op | undefined;
  if (typeof op !== 'function') throw new Error(`the package exports no op '${def.id}' for ${def.keras}`);
  return x => op(x, params);
}

/** The curves of an activation as its view shows them. */
export function curvesFor(
  tf: TfLike,
  ops: Record<string, unknown>,
  def: ActivationDefinition,
  view: View,
  params: object,
  n: number,
  vector?: number[],
): Promise<Curves> {
  const fn = opFor(ops, def, params),
    [lo, hi] = view.range;
  if (def.kind === 'axis') {
    const vec = view.vector!;
    return axisCurves(tf, fn, vector ?? vec.values, vec.sweep, vec.output, lo, hi, n);
  }
  return elementwiseCurves(tf, fn, lo, hi, n);
}
