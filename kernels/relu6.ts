import {elementwise} from '../src/definition';

/** relu6: min(max(x, 0), 6). */
export const relu6 = elementwise({
  id: 'relu6',
  keras: 'relu6',
  doc: 'Rectified linear unit capped at 6.',
  formula: 'min(max(x, 0), 6)',
  forward: x => x < 0 ? 0 : (x > 6 ? 6 : x),
  derivative: x => x > 0 && x < 6 ? 1 : 0,
  second: () => 0,
});
