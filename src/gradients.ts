/**
 * Gradients of every activation. The backward pass is itself a fused
 * kernel (`<Kernel>Grad`), registered per backend next to the forward one.
 * Elementwise backward kernels take an `order` attribute: order k computes
 * dy·f⁽ᵏ⁾(x), so the gradient of the order-k kernel is the order-(k+1) one
 * and `tf.grad(tf.grad(f))` works wherever the definition has `second`.
 */
import {engine, mul, zerosLike} from '@tensorflow/tfjs-core';
import type {GradConfig, NamedAttrMap, Tensor} from '@tensorflow/tfjs-core';
import type {ActivationDefinition} from './definition';
import {gradKernelName, kernelName} from './catalogue';

function run(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  return engine().runKernel(name, inputs, attrs) as Tensor;
}

export function gradientConfigs(def: ActivationDefinition): GradConfig[] {
  const fwd = kernelName(def),
    bwd = gradKernelName(def);
  if (def.kind === 'elementwise') {
    // (with cpp.gradientFromOutput, the forward's output y goes to the gradient kernel too: see src/definition.ts)
    const fromY = def.cpp?.gradientFromOutput !== undefined;
    return [
      {
        kernelName: fwd,
        inputsToSave: ['x'],
        outputsToSave: fromY ? [true] : undefined,
        gradFunc: (dy, [x, y], attrs) => ({
          x: () => run(bwd, fromY ? {dy: dy as Tensor, x, y} : {dy: dy as Tensor, x}, {u: attrs.u, order: 1}),
        }),
      },
      {
        kernelName: bwd,
        inputsToSave: ['dy', 'x'],
        gradFunc: (ddx, [dy, x], attrs) => {
          const order = attrs.order as number;
          return {
            dy: () => run(bwd, {dy: ddx as Tensor, x}, {u: attrs.u, order}),
            x: () => run(bwd, {dy: mul(ddx as Tensor, dy), x}, {u: attrs.u, order: order + 1}),
            // y, where given, only stands in for f(x): the dependence on x is all in the x term
            y: () => zerosLike(ddx as Tensor),
          };
        },
      },
    ];
  }
  // Backward kernels take the input x (never the output): the output saved by
  // tfjs is detached from the tape, and recomputing from the exact input in
  // float64 avoids the cancellation a rounded output brings into dx.
  return [
    {
      kernelName: fwd,
      inputsToSave: ['x'],
      gradFunc: (dy, [x], attrs) => ({x: () => run(bwd, {x, dy: dy as Tensor}, {axes: attrs.axes})}),
    },
    {
      kernelName: bwd,
      inputsToSave: ['x', 'dy'],
      gradFunc: (ddx, [x, dy], attrs) => {
        const axes = attrs.axes as number[];
        const kernels = {
          forward: (t: Tensor) => run(fwd, {x: t}, {axes}),
          backward: (t: Tensor, d: Tensor) => run(bwd, {x: t, dy: d}, {axes}),
        };
        const [dX, dDy] = def.backwardGrad(x, dy, ddx as Tensor, axes, kernels);
        return {x: () => dX, dy: () => dDy};
      },
    },
  ];
}
