import * as all from './activations';
import type {ActivationDefinition} from './definition';

/** Every definition, in alphabetical order of its id. */
export const definitions: readonly ActivationDefinition[] =
    Object.values(all as Record<string, ActivationDefinition>).sort((a, b) => a.id < b.id ? -1 : 1);

/** Forward kernel name of an activation (`squareplus` → `KerasSquareplus`). */
export function kernelName(def: ActivationDefinition): string {
  return 'Keras' + def.id[0].toUpperCase() + def.id.slice(1);
}

/** Backward kernel name (`KerasSquareplusGrad`). */
export function gradKernelName(def: ActivationDefinition): string {
  return kernelName(def) + 'Grad';
}

const byName = new Map<string, ActivationDefinition>();
for (const d of definitions) {
  for (const a of [d.id, d.keras, ...(d.aliases ?? [])]) {
    byName.set(a, d);
    byName.set(a.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), d);
  }
}

/** Looks a definition up by tfjs id, Keras name or alias; throws with the known names. */
export function lookup(name: string): ActivationDefinition {
  const d = byName.get(name);
  if (d === undefined) {
    throw new Error(`Unknown activation '${name}'. Known activations: ${[...byName.keys()].sort().join(', ')}`);
  }
  return d;
}
