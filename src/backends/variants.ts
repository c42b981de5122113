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
    throw new Error(`${def.keras}: no ${lang.toUpperCase()} definition for the ${lang === 'glsl' ? 'webgl' : 'webgpu'} backend`);
  }
  return bodies;
}
