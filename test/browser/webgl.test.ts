/**
 * The webgl backend in a real browser (Debian's Chromium, WebGL 2 on
 * SwiftShader): the shared GPU tests of gpu_suite.ts (every activation
 * against the float64 definitions and cpu, packed and unpacked programs,
 * GPU-only runs, variants, axis activations, fit, save/load, memory), plus
 * what only webgl has: relu with its defaults runs the plain body (as
 * tf.relu), and sliced (texture offset) and packed inputs.
 */
import {AXIS_BUDGET} from './budgets';
import {suite} from './harness';
import {gpuSuite} from './gpu_suite';

gpuSuite({
  backend: 'webgl',
  device: [
    'WebGL 2 (SwiftShader) with float32 textures',
    info => {
      expect(info.webglVersion).toBe(2);
      expect(info.float32).toBe(true);
      expect(info.renderer).toMatch(/SwiftShader/i);
    },
  ],
  variants: r => expect(r.plainRelu).toBe(true), // relu with its defaults runs the plain body (as tf.relu)
  more: session =>
    test("(b) sliced (texture offset) and packed inputs give the cpu backend's values", async () => {
      const r = await suite<Array<{input: string; op: string; rel: number}>>(session(), 'inputLayouts');
      expect(r.length).toBe(14);
      expect(r.filter(e => !(e.rel <= AXIS_BUDGET.forwardRel))).toEqual([]);
    }, 60000),
});
