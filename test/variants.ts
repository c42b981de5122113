/**
 * The parameter variants and kinks the suites run, read from the
 * definitions (`test` in src/activations/*.ts). No jest and no Node APIs:
 * the browser suite is built from this file too.
 */
import type {ActivationDefinition, AxisCase, Variant} from '../src/definition';
import {constantsOf, normalizeParams} from '../src/params';

/**
 * The variants of an activation (Keras's defaults first); `[{}]` when it lists none. For a backend, without
 * the variants it is known to miss its budget on (`test.knownIssues`).
 */
export function variantsOf(def: ActivationDefinition, backend?: string): readonly Variant[] {
  const all = def.test?.variants ?? [{}];
  const known = backend === undefined ? undefined : def.test?.knownIssues?.[backend];
  if (known === undefined) return all;
  const key = (v: Variant) => JSON.stringify(Object.entries(v).sort());
  const skip = new Set(known.map(key));
  return all.filter(v => !skip.has(key(v)));
}

/** Points where f′ jumps for these op options (none listed: none). */
export function kinksOf(def: ActivationDefinition, options: Variant): number[] {
  return def.test?.kinks?.(normalizeParams(def, options)) ?? [];
}

/** The kernel constants `u` for these op options. */
export function constantsFor(def: ActivationDefinition, options: Variant): number[] {
  return constantsOf(def, normalizeParams(def, options));
}

/** The shape/axis cases of an axis activation (`test.axisCases`); none for an elementwise one. */
export function axisCasesOf(def: ActivationDefinition): readonly AxisCase[] {
  return def.kind === 'axis' ? (def.test?.axisCases ?? []) : [];
}
