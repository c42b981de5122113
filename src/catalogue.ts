import * as all from './activations';
import type {ActivationDefinition} from './definition';

/**
 * Every definition, in alphabetical order of its id: the one registry that
 * the ops, the layers, every backend, the tests and the benchmark read.
 * `registerActivation` (src/register.ts) adds to it at run time.
 */
export const definitions: readonly ActivationDefinition[] = [];

/** Forward kernel name of an activation (`squareplus` → `KerasSquareplus`). */
export function kernelName(def: ActivationDefinition): string {
  return 'Keras' + def.id[0].toUpperCase() + def.id.slice(1);
}

/** Backward kernel name (`KerasSquareplusGrad`). */
export function gradKernelName(def: ActivationDefinition): string {
  return kernelName(def) + 'Grad';
}

/**
 * The native TensorFlow op names of an activation (`TfaSquareplus`, `TfaSquareplusGrad`, and `TfaSquareplusGradY`
 * for the gradient from the forward's output): scripts/native/generate.mjs generates the op library under these
 * names and src/backends/tensorflow_native.ts runs its ops by them.
 */
export function nativeOpNames(def: ActivationDefinition): {forward: string; grad: string; gradFromOutput: string} {
  const base = 'Tfa' + def.id[0].toUpperCase() + def.id.slice(1);
  return {forward: base, grad: base + 'Grad', gradFromOutput: base + 'GradY'};
}

/** `hard_silu` → `hardSilu`. */
export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Every name a definition answers to: id, Keras name, aliases, and their camelCase forms. */
export function namesOf(def: ActivationDefinition): string[] {
  return [...new Set([def.id, def.keras, ...(def.aliases ?? [])].flatMap(a => [a, snakeToCamel(a)]))];
}

const byName = new Map<string, ActivationDefinition>();

/**
 * Adds a definition to the catalogue (no kernels: see `registerActivation`).
 * Throws when one of its names is taken or it declares more than it may.
 */
export function addDefinition(def: ActivationDefinition): void {
  if (!/^[a-z][A-Za-z0-9]*$/.test(def.id)) throw new Error(`activation id '${def.id}' must be camelCase`);
  const taken = namesOf(def).filter(n => byName.has(n));
  if (taken.length > 0) {
    throw new Error(
      `${def.keras}: the name${taken.length > 1 ? 's' : ''} ${taken.map(n => `'${n}'`).join(', ')} ` +
        `already belong${taken.length > 1 ? '' : 's'} to ${byName.get(taken[0])!.keras}`,
    );
  }
  for (const n of namesOf(def)) byName.set(n, def);
  const list = definitions as ActivationDefinition[];
  list.push(def);
  list.sort((a, b) => (a.id < b.id ? -1 : 1));
}

for (const def of Object.values(all as Record<string, ActivationDefinition>)) addDefinition(def);

/** Looks a definition up by tfjs id, Keras name or alias; throws with the known names. */
export function lookup(name: string): ActivationDefinition {
  const d = byName.get(name);
  if (d === undefined) {
    throw new Error(`Unknown activation '${name}'. Known activations: ${[...byName.keys()].sort().join(', ')}`);
  }
  return d;
}
