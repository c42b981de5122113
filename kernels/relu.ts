import {elementwise} from '../src/definition';

/**
 * Keras 3 relu with its three parameters. Keras computes, in order:
 * x if x > threshold else 0; then clip to [0, max_value] when max_value is
 * set; then subtract negative_slope * max(threshold - x, 0).
 * Constants: u = [negative_slope, max_value (NaN when None), threshold].
 */
export const relu = elementwise({
  id: 'relu',
  keras: 'relu',
  doc: 'Rectified linear unit, with Keras\'s optional slope, ceiling and threshold.',
  formula: 'x > t ? x : 0, clipped to [0, max_value] if set, minus negative_slope·max(t − x, 0)',
  params: [
    {name: 'negativeSlope', keras: 'negative_slope', kind: 'number', default: 0,
     doc: 'slope below the threshold'},
    {name: 'maxValue', keras: 'max_value', kind: 'optionalNumber', default: null,
     doc: 'saturation value, or null for none',
     check: (v: number) => v >= 0 ? undefined : `must be >= 0 (or null), got ${v}`},
    {name: 'threshold', keras: 'threshold', kind: 'number', default: 0,
     doc: 'values at or below it are cut'},
  ],
  constants: p => [p.negativeSlope as number, p.maxValue === null ? NaN : p.maxValue as number,
                   p.threshold as number],
  forward(x, u) {
    const t = u[2], m = u[1];
    let y = x > t ? x : 0;
    if (m === m) y = y < 0 ? 0 : (y > m ? m : y);
    return x < t && u[0] !== 0 ? y - u[0] * (t - x) : y;
  },
  derivative(x, u) {
    const t = u[2], m = u[1];
    let d = x > t ? 1 : 0;
    if (m === m && (x < 0 || x > m)) d = 0;
    return x < t ? d + u[0] : d;
  },
  second: () => 0,
});
