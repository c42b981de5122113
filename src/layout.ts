/**
 * An axis activation sees its input as [outer, n, inner]: `axes` must be
 * sorted, non-negative and contiguous (the op transposes when they are not).
 */
export interface Layout {
  outer: number;
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

/** Output shape of an axis activation (glu halves its axis). */
export function axisOutputShape(shape: readonly number[], axes: readonly number[], halves: boolean): number[] {
  const out = [...shape];
  if (halves) out[axes[0]] = out[axes[0]] / 2;
  return out;
}
