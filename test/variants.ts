/**
 * The parameter variants and kinks the suites run, read from the
 * definitions (`test` in src/activations/*.ts). No jest and no Node APIs:
 * the browser suite is built from this file too.
 */
import type {ActivationDefinition, Variant} from '../src/definition';
import {constantsOf, normalizeParams} from '../src/params';

/** The variants of an activation (Keras's defaults first); `[{}]` when it lists none. */
export function variantsOf(def: ActivationDefinition): readonly Variant[] {
  return def.test?.variants ?? [{}];
}

/** Points where f′ jumps for these op options (none listed: none). */
export function kinksOf(def: ActivationDefinition, options: Variant): number[] {
  return def.test?.kinks?.(normalizeParams(def, options)) ?? [];
}

/** The kernel constants `u` for these op options. */
export function constantsFor(def: ActivationDefinition, options: Variant): number[] {
  return constantsOf(def, normalizeParams(def, options));
}
