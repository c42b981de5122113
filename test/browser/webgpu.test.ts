/**
 * The webgpu backend in a real browser (Debian's Chromium, WebGPU on
 * SwiftShader's Vulkan): the shared GPU tests of gpu_suite.ts (every
 * activation against the float64 definitions and cpu within the
 * definitions' `budget.webgpu` (webgl's when absent), vec4 and scalar
 * programs, GPU-only runs, variants, axis activations, fit, save/load,
 * memory), plus the program cache keys of the variants.
 */
import {gpuSuite} from './gpu_suite';

gpuSuite({
  backend: 'webgpu',
  device: ['WebGPU (SwiftShader)', info => expect(info.adapter).toMatch(/swiftshader/i)],
  variants: r => {
    expect(r.keys).toEqual(
      expect.arrayContaining([
        'tfa_relu_plain_0',
        'tfa_relu_slope_0',
        'tfa_relu_cap_0',
        'tfa_relu_general_0',
        'tfa_gelu_exact_0',
        'tfa_gelu_approximate_0',
      ]),
    );
    expect(r.keys).not.toContain('tfa_gelu_general_0');
  },
});
