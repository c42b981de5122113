/**
 * A throwaway activation, registered at run time by the registration tests
 * (Node: test/registration.test.ts; Chromium: suite.ts) to check that a new
 * definition reaches the op, the catalogue, tfjs-layers and every backend.
 * f(x) = x + c·x², with everything a definition file has.
 */
import {elementwise} from '../src/definition';

export const throwaway = elementwise({
  id: 'throwawayParabola',
  keras: 'throwaway_parabola',
  aliases: ['throwaway_bend'],
  doc: 'A test activation: x + c·x².',
  formula: 'x + c·x²',
  params: [{name: 'c', keras: 'c', kind: 'number', default: 0.5, doc: 'the curvature'}],
  constants: p => [p.c as number],
  forward: (x, u) => x + u[0] * x * x,
  derivative: (x, u) => 1 + 2 * u[0] * x,
  second: (_x, u) => 2 * u[0],
  glsl: {
    forward: `
      return x + u.x * x * x;`,
    derivative: `
      return 1.0 + 2.0 * u.x * x;`,
    second: `
      return 2.0 * u.x;`,
  },
  wgsl: {
    forward: `
      return x + u.x * x * x;`,
    derivative: `
      return 1.0 + 2.0 * u.x * x;`,
    second: `
      return 2.0 * u.x;`,
  },
  tensorflow: {
    forward: (x, u, nat) => nat.f32(nat.add(nat.f64(x), nat.mul(nat.op('Square', [nat.f64(x)]), u[0]))),
    derivative: (x, dy, u, nat) => nat.f32(nat.mul(nat.f64(dy), nat.add(nat.mul(nat.f64(x), 2 * u[0]), 1))),
    second: (x, dy, u, nat) => nat.mul(dy, 2 * u[0]),
  },
  test: {variants: [{}, {c: -2}]},
  budget: {webgl: {forward: 4, backward: 4}, tensorflowLaunches: [6, 6, 1]},
  bench: {composite: {what: 'x + c·x²', fn: (tf, x) => tf.add(x, tf.mul(tf.square(x), 0.5))}},
});
