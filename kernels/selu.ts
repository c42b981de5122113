import {elementwise} from '../src/definition';

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/** selu: scale·elu(x, alpha) with Klambauer et al.'s constants. */
export const selu = elementwise({
  id: 'selu',
  keras: 'selu',
  doc: 'Scaled exponential linear unit.',
  formula: 'scale·(x > 0 ? x : alpha·expm1(x)), alpha = 1.67326324, scale = 1.05070099',
  forward: x => x > 0 ? SCALE * x : (SCALE * ALPHA) * Math.expm1(x),
  derivative: x => x > 0 ? SCALE : (SCALE * ALPHA) * Math.exp(x),
  second: x => x > 0 ? 0 : (SCALE * ALPHA) * Math.exp(x),
});
