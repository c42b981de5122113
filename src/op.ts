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
  const f = (x: Tensor | TensorLike, options?: object) =>
    applyActivation(
      def,
      x,
      options === undefined ? (defaults ??= normalizeParams(def, undefined)) : normalizeParams(def, options),
    );
  Object.defineProperty(f, 'name', {value: def.id});
  return f as ActivationOp<P>;
}
