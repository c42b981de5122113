/** The typed op of one definition (src/ops.ts lists them; `registerActivation` returns one). */
import type {Tensor, TensorLike} from '@tensorflow/tfjs-core';
import type {ActivationDefinition, OptionsOf, ParamSpec} from './definition';
import {applyActivation} from './apply';
import {normalizeParams} from './params';

/** `options` is optional when every parameter has a Keras default. */
export type OptionsArg<P extends readonly ParamSpec[]> =
  Record<string, never> extends OptionsOf<P> ? [options?: OptionsOf<P>] : [options: OptionsOf<P>];

export type ActivationOp<P extends readonly ParamSpec[]> = (
  x: Tensor | TensorLike,
  ...options: OptionsArg<P>
) => Tensor;

export function op<P extends readonly ParamSpec[]>(def: ActivationDefinition & {params: P}): ActivationOp<P> {
  // The parameters of a call without options are the defaults: validated once (they are never mutated).
  let defaults: ReturnType<typeof normalizeParams> | undefined;
  // The last options object validated, with the primitive values it held then: a call with the same object still
  // holding them reuses its parameters (no validation, and the same constants further down).
  let last:
    {options: object; entries: Array<[string, unknown]>; params: ReturnType<typeof normalizeParams>} | undefined;
  const normalized = (options: object) => {
    if (options === null || typeof options !== 'object') return normalizeParams(def, options); // defaults, or an error
    if (last !== undefined && last.options === options && unchanged(options, last.entries)) return last.params;
    const params = normalizeParams(def, options);
    const entries = Object.entries(options);
    last = entries.every(([, v]) => v === null || typeof v !== 'object') ? {options, entries, params} : undefined;
    return params;
  };
  const f = (x: Tensor | TensorLike, options?: object) =>
    applyActivation(
      def,
      x,
      options === undefined ? (defaults ??= normalizeParams(def, undefined)) : normalized(options),
    );
  Object.defineProperty(f, 'name', {value: def.id});
  return f as ActivationOp<P>;
}

/** `o` holds exactly these own enumerable entries, in this order (values compared with Object.is). */
function unchanged(o: object, entries: ReadonlyArray<[string, unknown]>): boolean {
  const keys = Object.keys(o);
  if (keys.length !== entries.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== entries[i][0] || !Object.is((o as Record<string, unknown>)[keys[i]], entries[i][1])) return false;
  }
  return true;
}
