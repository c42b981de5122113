/**
 * Shader variants of an elementwise activation (`variants` in its
 * definition): a shader is chosen by which parameters are in use, never by
 * their values, so the values stay uniforms and a new value compiles
 * nothing, while the default case pays only for what it computes.
 */
import type {Constants, ElementwiseActivation, ShaderBodies} from '../definition';

/** The variant of a call ('' is the general bodies). */
export function variantOf(def: ElementwiseActivation, u: Constants | undefined): string {
  return def.variants === undefined ? '' : def.variants.key(u ?? []);
}

/**
 * The bodies of f, f′, f″ in one shading language for a variant: the
 * variant's own, or the general ones when the variant has none there.
 */
export function shaderBodies(def: ElementwiseActivation, lang: 'glsl' | 'wgsl', variant: string): ShaderBodies {
  const own = variant === '' ? undefined : def.variants?.[lang]?.[variant];
  const bodies = own ?? def[lang];
  if (bodies === undefined) {
    throw new Error(
      `${def.keras}: no ${lang.toUpperCase()} definition for the ${lang === 'glsl' ? 'webgl' : 'webgpu'} backend`,
    );
  }
  return bodies;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const MIN_NORMAL = 1.1754943508222875e-38;

/**
 * `ug`, a uniform of the elementwise programs: per constant c, the float32
 * g with x > g ⟺ x > c for every float32 x (g = float32(c), or the float32
 * below it when float32(c) > c), so that an exact comparison with a
 * constant costs one compare. A bound that would be subnormal (GPUs flush
 * those) becomes ±the smallest normal, which no normal x lies between.
 */
export function strictBounds(u: ArrayLike<number> | undefined): number[] {
  const g = [0, 0, 0, 0];
  for (let i = 0; i < Math.min(4, u?.length ?? 0); i++) {
    const c = u![i],
      hi = Math.fround(c);
    if (!Number.isFinite(hi) || hi <= c) {
      g[i] = hi;
    } else {
      f32[0] = hi;
      if (hi === 0)
        i32[0] = 0x80000001; // below +0: −(smallest subnormal)
      else i32[0] += hi > 0 ? -1 : 1;
      g[i] = f32[0];
    }
    if (g[i] !== 0 && Math.abs(g[i]) < MIN_NORMAL) g[i] = g[i] < 0 ? -MIN_NORMAL : 0;
  }
  return g;
}

/**
 * How a program of this variant and order reads subnormal inputs
 * (src/subnormal.ts): 'never' or 'always' when that is the same for every
 * parameter value the variant runs with (computed for activations without
 * constants, declared by the definition's `subnormals` otherwise), so
 * the program does not test a uniform per element; 'uniform' otherwise.
 * `needed` is this call's `readSubnormalsAsNormal`: a declaration it
 * contradicts gives 'uniform' (one more program, the right answer).
 */
export function subnormalRead(
  def: ElementwiseActivation,
  variant: string,
  order: 0 | 1 | 2,
  needed: boolean,
): 'never' | 'always' | 'uniform' {
  const fixed = def.constants === undefined ? needed : def.subnormals?.[variant]?.[order];
  return fixed === undefined || fixed !== needed ? 'uniform' : needed ? 'always' : 'never';
}
