/**
 * tfjs-layers integration.
 *
 * 1. String activations. tfjs-layers looks a string activation up in the
 *    serialization class map; saving writes the class name in snake_case and
 *    loading reads it back in camelCase. So each activation is registered
 *    under its camelCase id (what a loaded model asks for) and under its
 *    Keras snake_case name and aliases (what users write); every alias saves
 *    the canonical name. Ids tfjs-layers already owns keep tfjs's behaviour.
 * 2. Activation layers with parameters (`layers.squareplus({b: 2})`), whose
 *    config survives save/load, because tfjs drops the parameters of an
 *    activation object when it saves.
 */
import {serialization, tidy} from '@tensorflow/tfjs-core';
import type {Tensor} from '@tensorflow/tfjs-core';
import {layers as tfLayers} from '@tensorflow/tfjs-layers';
import type {ActivationIdentifier} from '@tensorflow/tfjs-layers/dist/keras_format/activation_config';
import type {LayerArgs} from '@tensorflow/tfjs-layers/dist/engine/topology';
import type {Kwargs} from '@tensorflow/tfjs-layers/dist/types';
import type {Shape} from '@tensorflow/tfjs-layers/dist/keras_format/common';
import type * as all from './activations';
import type {ActivationDefinition, OptionsOf, ParamSpec, Params} from './definition';
import {definitions, lookup, snakeToCamel} from './catalogue';
import {applyActivation, resolveAxes} from './apply';
import {isPlainObject, nearestName, normalizeParams} from './params';
import {axisOutputShape} from './layout';
import {claimRegistration} from './copies';

type Ctor = serialization.SerializableConstructor<serialization.Serializable>;

function classMap(): {[name: string]: [Ctor, unknown]} {
  return serialization.SerializationMap.getMap().classNameMap as {[name: string]: [Ctor, unknown]};
}

/** Ids tfjs-layers itself registered, captured before we add ours. */
const tfjsOwned = new Map<string, Ctor>(Object.entries(classMap()).map(([n, [c]]) => [n, c]));

function register(cls: Ctor): void {
  serialization.registerClass(cls);
}

/**
 * A string activation backed by a definition. `className` is what users
 * write, `canonical` what it saves as (tfjs turns it into snake_case).
 */
function activationClass(def: ActivationDefinition, className: string, canonical: string): Ctor {
  const problem = stringProblem(def);
  const C = class extends serialization.Serializable {
    static className = className;
    private readonly params: Params;
    /** `config` is the `config` of an activation object ({class_name: 'squareplus', config: {b: 0}}). */
    constructor(config?: unknown) {
      super();
      const given = activationObjectParams(config);
      // a parameterless string cannot give required parameters; an activation object can (not glu's axis halving)
      if (problem !== undefined && (Object.keys(given).length === 0 || (def.kind === 'axis' && def.halvesAxis))) {
        throw new Error(problem);
      }
      this.params = normalizeParams(def, given, 'activation config');
    }
    /**
     * The class name, or, when a parameter differs from Keras's default, the
     * activation object itself: tfjs-layers saves an activation as what this
     * returns, so its parameters survive save and load.
     */
    override getClassName(): string {
      const config = nonDefault(def, this.params);
      if (Object.keys(config).length === 0) return canonical;
      return {className: canonical, config} as unknown as string;
    }
    apply(x: Tensor): Tensor {
      return applyActivation(def, x, this.params);
    }
    getConfig(): serialization.ConfigDict {
      return nonDefault(def, this.params) as serialization.ConfigDict;
    }
  };
  return C as unknown as Ctor;
}

/** Keys tfjs-layers adds to a config it deserializes (not the user's). */
const DESERIALIZER_KEYS = new Set(['customObjects']);

/** The parameters of an activation object's `config`, without what the deserializer adds. */
function activationObjectParams(config: unknown): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) return config as Record<string, unknown>; // normalizeParams names the problem
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(config)) if (!DESERIALIZER_KEYS.has(key)) out[key] = config[key];
  return out;
}

/** Parameters that differ from Keras's default (what an activation object must save). */
function nonDefault(def: ActivationDefinition, params: Params): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of def.params) {
    const v = params[spec.name];
    if (!('default' in spec) || JSON.stringify(v) !== JSON.stringify(spec.default)) out[spec.name] = v;
  }
  return out;
}

/** Why an activation cannot be a bare string id, if it cannot. */
function stringProblem(def: ActivationDefinition): string | undefined {
  const factory = `tfa.layers.${def.id}`;
  if (def.kind === 'axis' && def.halvesAxis) {
    return (
      `${def.keras}: '${def.keras}' cannot be a layer's activation string: it halves the size of its axis, ` +
      `which Dense, Conv and Activation layers cannot report as their output shape. ` +
      `Add the layer ${factory}({axis}) (class '${layerClassName(def)}') after the layer instead.`
    );
  }
  const required = def.params.filter(p => !('default' in p));
  if (required.length > 0) {
    return (
      `${def.keras}: '${def.keras}' cannot be a layer's activation string: it needs ` +
      `${required.map(p => `'${p.name}'`).join(' and ')}, which have no defaults (as in Keras). ` +
      `Add the layer ${factory}({${required.map(p => p.name).join(', ')}}) (class '${layerClassName(def)}') instead.`
    );
  }
  return undefined;
}

/** A subclass of a tfjs activation class that answers to another name and saves as `canonical`. */
function aliasOf(base: Ctor, className: string, canonical: string): Ctor {
  const B = base as unknown as new () => serialization.Serializable;
  const C = class extends B {
    static className = className;
    override getClassName(): string {
      return canonical;
    }
    override getConfig(): serialization.ConfigDict {
      return {};
    }
  };
  return C as unknown as Ctor;
}

const HARD_SIGMOID_OPT_IN =
  `hard_sigmoid: Keras 3's 'hard_sigmoid' is relu6(x + 3)/6, while tfjs's 'hardSigmoid' is Keras 2's ` +
  `clip(0.2x + 0.5, 0, 1). Call useKeras3HardSigmoid() from tfjs-activations to make both ids mean the ` +
  `Keras 3 form (this also changes the default recurrentActivation of tfjs LSTM/GRU layers created ` +
  `afterwards), or use 'hardSigmoid' for tfjs's own.`;

function hardSigmoidRefusal(): Ctor {
  const C = class extends serialization.Serializable {
    static className = 'hard_sigmoid';
    constructor() {
      super();
      throw new Error(HARD_SIGMOID_OPT_IN);
    }
    getConfig(): serialization.ConfigDict {
      return {};
    }
  };
  return C as unknown as Ctor;
}

/** Every string id this package makes usable (tfjs's own ids keep working too). */
export const registeredIds: string[] = [];

/** Registers the string ids of one definition: its id, Keras name and aliases (and their camelCase forms). */
export function registerStringIds(def: ActivationDefinition): void {
  const names = new Set([def.id, def.keras, ...(def.aliases ?? []).flatMap(a => [a, snakeToCamel(a)])]);
  const owner = tfjsOwned.get(def.id);
  for (const name of names) {
    if (tfjsOwned.has(name)) continue; // tfjs's own id keeps tfjs's behaviour
    if (def.id === 'hardSigmoid') {
      register(hardSigmoidRefusal());
      continue;
    }
    register(owner !== undefined ? aliasOf(owner, name, def.id) : activationClass(def, name, def.id));
    if (stringProblem(def) === undefined) registeredIds.push(name);
  }
}

/** tfjs saves its 'gelu_new' as is and reads it back as 'geluNew': make that load. */
function registerGeluNew(): void {
  const geluNew = tfjsOwned.get('gelu_new');
  if (geluNew !== undefined && !tfjsOwned.has('geluNew')) {
    register(aliasOf(geluNew, 'geluNew', 'gelu_new'));
    registeredIds.push('geluNew');
  }
}

/**
 * Opt in to Keras 3's hard_sigmoid for the layers ids 'hardSigmoid' and
 * 'hard_sigmoid' (relu6(x + 3)/6 instead of tfjs's clip(0.2x + 0.5, 0, 1)).
 * Affects layers created afterwards, including the default
 * `recurrentActivation` of tfjs's LSTM and GRU layers. `false` restores
 * tfjs's own.
 */
export function useKeras3HardSigmoid(enable = true): void {
  if (enable) {
    register(activationClass(lookup('hardSigmoid'), 'hardSigmoid', 'hardSigmoid'));
    register(activationClass(lookup('hardSigmoid'), 'hard_sigmoid', 'hardSigmoid'));
  } else {
    const own = tfjsOwned.get('hardSigmoid');
    if (own !== undefined) register(own);
    register(hardSigmoidRefusal());
  }
}

// ---------------------------------------------------------------------------
// Activation layers with parameters.

/** Class name of an activation's layer: `squareplus` → `SquareplusActivation`. */
export function layerClassName(def: ActivationDefinition): string {
  return def.id[0].toUpperCase() + def.id.slice(1) + 'Activation';
}

function outputShapeOf(def: ActivationDefinition, params: Params, inputShape: Shape): Shape {
  if (def.kind !== 'axis') return inputShape;
  return axisOutputShape(def, inputShape, resolveAxes(def, params, inputShape.length));
}

export type ActivationLayerArgs<P extends readonly ParamSpec[]> = LayerArgs & OptionsOf<P>;

/** What tfjs-layers' `Layer` takes (LayerArgs) and what a saved layer config holds besides the parameters. */
const LAYER_ARGS = [
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'name',
  'trainable',
  'weights',
  'inputDType',
];

/**
 * Splits layer arguments (or a loaded layer config) into the base layer's
 * and the activation's; any other key is an error naming the nearest valid one.
 */
function splitLayerArgs(def: ActivationDefinition, args: unknown): [LayerArgs, Record<string, unknown>] {
  if (args === undefined || args === null) return [{}, {}];
  if (!isPlainObject(args)) {
    normalizeParams(def, args, 'layer arguments'); // throws: not a plain object
  }
  const own = new Set(def.params.flatMap(p => [p.name, p.keras]));
  const base: Record<string, unknown> = {};
  const mine: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const key of Object.keys(args as object)) {
    const v = (args as Record<string, unknown>)[key];
    if (own.has(key)) mine[key] = v;
    else if (LAYER_ARGS.includes(key)) base[key] = v;
    else if (!DESERIALIZER_KEYS.has(key)) unknown.push(key);
  }
  if (unknown.length > 0) {
    const valid = [...def.params.flatMap(p => [p.name, p.keras]), ...LAYER_ARGS];
    const hints = unknown.map(k => {
      const near = nearestName(k, valid);
      return near !== undefined ? `'${k}' (did you mean '${near}'?)` : `'${k}'`;
    });
    const params = def.params.map(p => `'${p.name}'`);
    throw new Error(
      `${def.keras}: unknown layer argument${unknown.length > 1 ? 's' : ''} ${hints.join(', ')} for ` +
        `${layerClassName(def)} (it takes ${params.length ? params.join(', ') + ' and ' : ''}the usual ` +
        `layer arguments ${LAYER_ARGS.map(k => `'${k}'`).join(', ')})`,
    );
  }
  return [base as LayerArgs, mine];
}

function layerClass(def: ActivationDefinition) {
  const C = class extends tfLayers.Layer {
    static className = layerClassName(def);
    readonly params: Params;
    constructor(args: Record<string, unknown> = {}) {
      const [base, mine] = splitLayerArgs(def, args);
      super(base);
      this.params = normalizeParams(def, mine, 'layer arguments');
      this.supportsMasking = true;
    }
    override computeOutputShape(inputShape: Shape | Shape[]): Shape {
      const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return outputShapeOf(def, this.params, shape);
    }
    override call(inputs: Tensor | Tensor[], _kwargs: Kwargs): Tensor {
      return tidy(() => applyActivation(def, Array.isArray(inputs) ? inputs[0] : inputs, this.params));
    }
    override getConfig(): serialization.ConfigDict {
      return {...this.params, ...super.getConfig()} as serialization.ConfigDict;
    }
  };
  if (claimRegistration()) serialization.registerClass(C); // a later copy of the package leaves the first's
  return C;
}

/** Creates a parameterised activation layer (`tfa.layers.squareplus({b: 2})`). */
export type LayerFactory<P extends readonly ParamSpec[]> = (
  args?: ActivationLayerArgs<P>,
) => InstanceType<typeof tfLayers.Layer> & {readonly params: Params};

function layerFactory<P extends readonly ParamSpec[]>(def: ActivationDefinition & {params: P}): LayerFactory<P> {
  const C = layerClass(def);
  return (args?: ActivationLayerArgs<P>) => new C(args as Record<string, unknown>);
}

type Defs = typeof all;
type Def = Defs[keyof Defs];

/** The activations with parameters, by id: they get a layer, since tfjs drops an activation's parameters on save. */
type LayerFactories = {
  [K in keyof Defs as Defs[K]['params'] extends readonly [] ? never : K]: LayerFactory<Defs[K]['params']>;
};

/**
 * Activation layers whose parameters are saved with the model:
 * `tfa.layers.squareplus({b: 2})`, `tfa.layers.glu({axis: -1})`... One per
 * activation with parameters (`registerActivation` adds its own).
 */
export const layers = {} as LayerFactories;

/** Adds the layer factory of a definition with parameters to `layers`. */
export function registerLayer(def: ActivationDefinition): void {
  if (def.params.length > 0) (layers as Record<string, unknown>)[def.id] = layerFactory(def);
}

type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type NamesOf<D> = D extends {id: infer I extends string; keras: infer K extends string}
  ? | I
    | K
    | NonNullable<D extends {aliases?: infer A extends readonly string[]} ? A : []>[number]
    | Camel<NonNullable<D extends {aliases?: infer A extends readonly string[]} ? A : []>[number]>
  : never;
/** Definitions usable as a bare string id: every parameter has a default and the axis keeps its size. */
type StringUsable<D> = D extends {halvesAxis?: true}
  ? never
  : D extends {params: infer P extends readonly ParamSpec[]}
    ? P[number] extends {default: unknown}
      ? D
      : never
    : never;

/** The string ids this package adds to tfjs-layers (tfjs's own ids keep working too); the same array as `registeredIds`. */
export const newActivationIds: readonly NewActivationId[] = registeredIds as NewActivationId[];

/** Ids added by this package, derived from the definitions ('hard_sigmoid' needs `useKeras3HardSigmoid()`). */
export type NewActivationId = Exclude<NamesOf<StringUsable<Def>>, ActivationIdentifier | 'hard_sigmoid'> | 'geluNew';

/** Every activation id usable as a layers `activation:` string with this package. */
export type ActivationId = ActivationIdentifier | NewActivationId;

/**
 * Types a new activation id for tfjs-layers' `activation` option, whose
 * TypeScript type lists tfjs's ids only:
 * `tf.layers.dense({units: 8, activation: activationId('squareplus')})`.
 */
export function activationId(id: ActivationId): ActivationIdentifier {
  if (typeof id !== 'string') {
    throw new Error(`activationId: expects an activation name (a string), got ${typeof id} ${String(id)}`);
  }
  if (!Object.prototype.hasOwnProperty.call(classMap(), id)) lookup(id); // throws with the known names
  return id as ActivationIdentifier;
}

/** String ids and layer factories of one definition. */
export function registerLayersOf(def: ActivationDefinition): void {
  registerStringIds(def);
  registerLayer(def);
}

// Every copy has its layer factories; only the first registers the string ids and classes (src/copies.ts).
for (const def of definitions) registerLayer(def);
if (claimRegistration()) {
  for (const def of definitions) registerStringIds(def);
  registerGeluNew();
}
