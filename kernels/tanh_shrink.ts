import {elementwise} from '../src/definition';
import {sech2, tanhShrink as ts} from '../src/math';

/** tanh_shrink: x − tanh(x), by its series near 0 where it cancels. */
export const tanhShrink = elementwise({
  id: 'tanhShrink',
  keras: 'tanh_shrink',
  doc: 'Tanh shrinkage.',
  formula: 'x − tanh(x)',
  forward: x => ts(x),
  derivative: x => {
    const t = Math.tanh(x);
    return t * t;
  },
  second: x => 2 * Math.tanh(x) * sech2(x),
});
