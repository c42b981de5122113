/**
 * An activation run on values held by the CPU, in float64 from the
 * definition's scalar code (elementwise) or cpu loops (axis activations).
 * The cpu kernels are exactly this; webgl runs it for small inputs whose
 * values are still on the CPU (tfjs's CPU-forwarding rule) and tensorflow
 * when a definition has no composition or the backend has no binding.
 */
import type {NamedAttrMap} from '@tensorflow/tfjs-core';
import type {ActivationDefinition} from '../definition';
import {axisOutputShape, layoutOf, sizeOf} from '../layout';
import {scalarLoops} from './scalar_loops';

export interface HostResult {
  shape: number[];
  values: Float32Array;
}

/** The forward kernel on host values: `attrs` are the kernel's (`u`, or `axes`). */
export function forwardOnHost(
  def: ActivationDefinition,
  x: Float32Array,
  shape: readonly number[],
  attrs: NamedAttrMap,
): HostResult {
  if (def.kind === 'elementwise') return {shape: [...shape], values: scalarLoops(def).forward(x, attrs.u as number[])};
  const axes = attrs.axes as number[];
  const {outer, n, inner} = layoutOf(shape, axes);
  const outShape = axisOutputShape(def, shape, axes);
  const values = new Float32Array(sizeOf(outShape));
  def.cpu.forward(x, values, outer, n, inner);
  return {shape: outShape, values};
}

/** The backward kernel on host values: dx, with x's shape (`attrs`: `u` and `order`, or `axes`). */
export function backwardOnHost(
  def: ActivationDefinition,
  x: Float32Array,
  dy: Float32Array,
  shape: readonly number[],
  attrs: NamedAttrMap,
): Float32Array {
  if (def.kind === 'elementwise') return scalarLoops(def).backward(attrs.order as number, x, dy, attrs.u as number[]);
  const {outer, n, inner} = layoutOf(shape, attrs.axes as number[]);
  const dx = new Float32Array(sizeOf(shape));
  def.cpu.backward(x, dy, dx, outer, n, inner);
  return dx;
}
