import type {AxisActivation} from './definition';

/**
 * An axis activation sees its input as [outer, n, inner]: `axes` must be
 * sorted, non-negative and contiguous (the op transposes when they are not).
 */
export interface Layout {
  outer: number;
  /** Length of the (merged) axis. */
  n: number;
  inner: number;
}

export function layoutOf(shape: readonly number[], axes: readonly number[]): Layout {
  const first = axes[0], last = axes[axes.length - 1];
  let outer = 1, n = 1, inner = 1;
  for (let d = 0; d < shape.length; d++) {
    if (d < first) outer *= shape[d];
    else if (d > last) inner *= shape[d];
    else n *= shape[d];
  }
  return {outer, n, inner};
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Output shape of an axis activation (glu halves its axis; an unknown size,
 * `null` in a layer's shape, stays unknown). Throws when an axis to be
 * halved has an odd size.
 */
export function axisOutputShape<S extends number | null>(def: AxisActivation, shape: readonly S[],
                                                         axes: readonly number[]): S[] {
  const out = [...shape];
  if (!def.halvesAxis) return out;
  const size = out[axes[0]];
  if (size != null) {
    if (size % 2 !== 0) {
      throw new Error(`${def.keras}: the size of axis ${axes[0]} must be even to split it in two halves, ` +
                      `got ${size} (shape [${shape.map(s => s ?? 'null')}])`);
    }
    out[axes[0]] = size / 2 as S;
  }
  return out;
}
