import {elementwise} from '../src/definition';

/** threshold: x > threshold ? x : default_value. Both are required, as in Keras. */
export const threshold = elementwise({
  id: 'threshold',
  keras: 'threshold',
  doc: 'Thresholded identity: values at or below the threshold are replaced.',
  formula: 'x > threshold ? x : default_value',
  params: [
    {name: 'threshold', keras: 'threshold', kind: 'number', doc: 'cut-off (required)'},
    {name: 'defaultValue', keras: 'default_value', kind: 'number', doc: 'replacement value (required)'},
  ],
  constants: p => [p.threshold as number, p.defaultValue as number],
  forward: (x, u) => x > u[0] ? x : u[1],
  derivative: (x, u) => x > u[0] ? 1 : 0,
  second: () => 0,
});
