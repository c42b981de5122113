/**
 * How the gallery shows an activation: the x range that shows its shape,
 * the slider ranges of its parameters, and tfjs's own version where it
 * differs. Everything else (names, formulas, parameters, defaults, notes)
 * comes from the package's definitions (`tfa.definitions`); an activation
 * or parameter missing here gets generic settings.
 */
import type {ActivationDefinition, ParamSpec} from '../src/definition';
import type {Tensor} from '@tensorflow/tfjs-core';

/** The part of tfjs the gallery computes with (the page's global `tf`, or tfjs-core in Node). */
export interface TfLike {
  tensor1d(values: ArrayLike<number> | number[], dtype?: 'float32'): Tensor;
  tensor2d(values: ArrayLike<number> | number[], shape: [number, number], dtype?: 'float32'): Tensor;
  grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor;
  tidy<T extends Tensor | Tensor[]>(fn: () => T): T;
  mul(a: Tensor, b: Tensor): Tensor;
  sum(x: Tensor): Tensor;
  slice(x: Tensor, begin: number[], size: number[]): Tensor;
  reshape(x: Tensor, shape: number[]): Tensor;
  elu(x: Tensor): Tensor;
  layers?: {activation(args: {activation: string}): {apply(x: Tensor): unknown}};
}

export interface SliderRange {
  min: number;
  max: number;
  step: number;
}

/** tfjs's own version of an activation, drawn over the package's. */
export interface Overlay {
  /** Legend label. */
  label: string;
  /** One sentence shown under the plot. */
  caption: string;
  /** tfjs's own function (differentiable, so `tf.grad` gives its derivative). */
  fn(tf: TfLike, x: Tensor): Tensor;
  /** Drawn as its own detail plot over this x range; absent: on the main plot. */
  range?: [number, number];
}

export interface View {
  range: [number, number];
  /** Parameter name → slider range. */
  sliders?: Record<string, SliderRange>;
  /** Starting values of required parameters (threshold's). */
  start?: Record<string, number>;
  overlay?: Overlay;
  /** Axis activations: the editable vector, the swept component and the plotted output component. */
  vector?: {values: number[]; sweep: number; output: number};
}

const DEFAULT_RANGE: [number, number] = [-5, 5];

const tfjsLayer =
  (name: string) =>
  (tf: TfLike, x: Tensor): Tensor => {
    if (!tf.layers) throw new Error("tfjs-layers is needed for tfjs's own " + name);
    return tf.layers.activation({activation: name}).apply(x) as Tensor;
  };

export const VIEWS: Record<string, View> = {
  celu: {range: [-5, 4], sliders: {alpha: {min: 0.1, max: 3, step: 0.05}}},
  elu: {
    range: [-5, 4],
    sliders: {alpha: {min: 0, max: 3, step: 0.05}},
    overlay: {
      label: 'tf.elu',
      fn: (tf, x) => tf.elu(x),
      range: [-4e-7, 2e-7],
      caption:
        "Near 0, tfjs's tf.elu on webgl computes exp(x) − 1 in float32, a staircase of multiples of 2⁻²⁴ ≈ 6e−8; " +
        'this package uses expm1 and follows y = x.',
    },
  },
  exponential: {range: [-4, 2.5]},
  gelu: {
    range: [-5, 4],
    overlay: {
      label: "tfjs 'gelu'",
      fn: tfjsLayer('gelu'),
      range: [-7, -5],
      caption:
        "tfjs-layers' 'gelu' computes x·(1 + erf(x/√2))/2 in float32, where 1 + erf cancels in the " +
        'negative tail: it is 0 from about x = −6 and tens of percent off before that.',
    },
  },
  glu: {range: [-6, 6], vector: {values: [1.5, -1, 0, 2], sweep: 2, output: 0}},
  hard_shrink: {range: [-3, 3], sliders: {threshold: {min: 0, max: 2.5, step: 0.05}}},
  hard_sigmoid: {
    range: [-5, 5],
    overlay: {
      label: "tfjs 'hardSigmoid' (Keras 2)",
      fn: tfjsLayer('hardSigmoid'),
      caption:
        "tfjs's own 'hardSigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3 (this package) " + 'is relu6(x + 3)/6.',
    },
  },
  hard_silu: {range: [-5, 4]},
  hard_tanh: {range: [-3, 3]},
  leaky_relu: {range: [-4, 4], sliders: {negativeSlope: {min: 0, max: 1, step: 0.01}}},
  log_softmax: {range: [-6, 6], vector: {values: [0, 1, -1, 2], sweep: 0, output: 0}},
  relu: {
    range: [-4, 8],
    sliders: {
      negativeSlope: {min: -0.5, max: 1, step: 0.05},
      maxValue: {min: 0, max: 6, step: 0.1},
      threshold: {min: -2, max: 3, step: 0.1},
    },
  },
  relu6: {range: [-3, 9]},
  selu: {range: [-5, 4]},
  soft_shrink: {range: [-3, 3], sliders: {threshold: {min: 0, max: 2.5, step: 0.05}}},
  softmax: {range: [-6, 6], vector: {values: [0, 1, -1, 2], sweep: 0, output: 0}},
  sparse_plus: {range: [-3, 3]},
  sparse_sigmoid: {range: [-3, 3]},
  sparsemax: {range: [-3, 3], vector: {values: [0, 0.5, -0.5, 0.8], sweep: 0, output: 0}},
  squareplus: {range: [-6, 6], sliders: {b: {min: 0, max: 16, step: 0.25}}},
  tanh_shrink: {range: [-4, 4]},
  threshold: {
    range: [-3, 3],
    sliders: {threshold: {min: -2, max: 2, step: 0.1}, defaultValue: {min: -3, max: 3, step: 0.1}},
    start: {threshold: 0, defaultValue: -1},
  },
};

/** The view of an activation, with generic settings for whatever VIEWS does not name. */
export function viewOf(def: ActivationDefinition): View {
  const v = VIEWS[def.keras] ?? {range: DEFAULT_RANGE};
  if (def.kind === 'axis' && !v.vector) return {...v, vector: {values: [0, 1, -1, 2], sweep: 0, output: 0}};
  return v;
}

/** Slider range of a numeric parameter: from VIEWS, else around its default. */
export function sliderOf(def: ActivationDefinition, p: ParamSpec): SliderRange {
  const s = viewOf(def).sliders?.[p.name];
  if (s) return s;
  const d = typeof p.default === 'number' ? p.default : 0,
    w = Math.max(1, Math.abs(d)) * 2;
  return {min: p.check?.(-1) === undefined ? d - w : 0, max: d + w, step: w / 40};
}

/** Starting parameter values: Keras's defaults, or the view's start for required ones. */
export function startParams(def: ActivationDefinition): Record<string, number | boolean | null> {
  const out: Record<string, number | boolean | null> = {};
  for (const p of def.params) {
    if (p.kind === 'axis' || p.kind === 'axes') continue;
    if ('default' in p) out[p.name] = p.default as number | boolean | null;
    else out[p.name] = viewOf(def).start?.[p.name] ?? 0;
  }
  return out;
}

/** "b = 4", "threshold (required)", "axis = -1" for the card. */
export function defaultsText(def: ActivationDefinition): string {
  if (!def.params.length) return 'no parameters';
  return def.params
    .map(p =>
      'default' in p
        ? `${p.keras} = ${
            p.default === null
              ? 'None'
              : typeof p.default === 'boolean'
                ? p.default
                  ? 'True'
                  : 'False'
                : JSON.stringify(p.default)
          }`
        : `${p.keras} (required)`,
    )
    .join(', ');
}
