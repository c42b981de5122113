import type {ActivationDefinition, AxisActivation, Params} from './definition';

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
  const first = axes[0],
    last = axes[axes.length - 1];
  let outer = 1,
    n = 1,
    inner = 1;
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
export function axisOutputShape<S extends number | null>(
  def: AxisActivation,
  shape: readonly S[],
  axes: readonly number[],
): S[] {
  const out = [...shape];
  if (!def.halvesAxis) return out;
  const size = out[axes[0]];
  if (size != null) {
    if (size % 2 !== 0) {
      throw new Error(
        `${def.keras}: the size of axis ${axes[0]} must be even to split it in two halves, ` +
          `got ${size} (shape [${shape.map(s => s ?? 'null')}])`,
      );
    }
    out[axes[0]] = (size / 2) as S;
  }
  return out;
}

function normalizeAxis(def: ActivationDefinition, axis: number, rank: number): number {
  if (axis < -rank || axis >= rank) {
    throw new Error(
      `${def.keras}: axis ${axis} is out of range for a tensor of rank ${rank} ` + `(valid: ${-rank} to ${rank - 1})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, non-negative axes of an axis activation for this rank. */
export function resolveAxes(def: AxisActivation, params: Params, rank: number): number[] {
  if (rank === 0) throw new Error(`${def.keras}: needs a tensor of rank >= 1, got a scalar`);
  const a = params.axis as number | number[] | null;
  const axes =
    a === null
      ? Array.from({length: rank}, (_, i) => i)
      : (Array.isArray(a) ? a : [a]).map(v => normalizeAxis(def, v, rank));
  const sorted = [...axes].sort((p, q) => p - q);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1])
      throw new Error(`${def.keras}: axis ${sorted[i]} is repeated in ${JSON.stringify(a)}`);
  }
  return sorted;
}

/** Whether sorted axes are contiguous (the kernels take them so; otherwise the op moves them last). */
export function contiguous(axes: readonly number[]): boolean {
  return axes[axes.length - 1] - axes[0] === axes.length - 1;
}

/** The transpose that moves sorted `axes` of a rank-`rank` tensor to the end, its inverse, and the axes there. */
export function axesLast(rank: number, axes: readonly number[]): {perm: number[]; inverse: number[]; last: number[]} {
  const rest = Array.from({length: rank}, (_, i) => i).filter(i => !axes.includes(i));
  const perm = [...rest, ...axes];
  return {perm, inverse: perm.map((_, i) => perm.indexOf(i)), last: axes.map((_, i) => rank - axes.length + i)};
}
