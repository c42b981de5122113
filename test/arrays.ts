/** Array helpers shared by the Node suites and the browser suite (no imports). */

/** Transposes a row-major array of `shape` by `perm` (out[i] = values[perm-indexed i]), into `out`. */
export function transposeInto<T extends {length: number; [i: number]: number}>(
  values: ArrayLike<number>,
  shape: readonly number[],
  perm: readonly number[],
  out: T,
): T {
  const rank = shape.length;
  const outShape = perm.map(p => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < values.length; k++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += idx[d] * strides[perm[d]];
    out[k] = values[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}
