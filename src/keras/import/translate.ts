/**
 * Keras 3 (and Keras 2) model configs → the tfjs-layers model topology
 * (pythonic, as tfjs writes model.json). Works on the config alone, so every
 * refusal happens before any weight is read. Every field of every layer is
 * either mapped, checked against the one value tfjs can honour, or refused.
 */
import {serialization, Tensor} from '@tensorflow/tfjs-core';

type Json = null | boolean | number | string | Json[] | {[k: string]: Json};
type Dict = {[k: string]: Json};

/** How a user maps a registered Keras name to a tfjs class or activation id. */
export type CustomObject = string | {className: string; config?: (kerasConfig: Dict) => Dict};

export class KerasImportError extends Error {
  constructor(
    message: string,
    readonly layer?: string,
    readonly className?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'KerasImportError';
  }
}

/** One translated layer, for the summary and the weight loader. */
export interface LayerInfo {
  /** Names from the outermost model down to the layer. */
  path: string[];
  kerasClass: string;
  tfjsClass: string;
  activations: string[];
  notes: string[];
}

export interface Translation {
  topology: Dict;
  layers: LayerInfo[];
  notes: string[];
  kerasVersion: string;
}

const DEFAULT_HINT =
  "Map it with options.customObjects ({'<registered name>': '<tfjs class or activation id>'}) " +
  'if you have an equivalent tfjs class, or change the Keras model.';

function classMap(): {[k: string]: unknown} {
  return serialization.SerializationMap.getMap().classNameMap as {[k: string]: unknown};
}

function orthogonalWorks(): boolean {
  return typeof (Tensor.prototype as unknown as {flatten?: unknown}).flatten === 'function';
}

function camel(s: string): string {
  return s.replace(/[_-](.)/g, (_, c: string) => c.toUpperCase());
}

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keras 3 activation name → tfjs id written in the (pythonic) config. */
const ACTIVATION_RENAMES: {[k: string]: string} = {
  hard_sigmoid: 'hard_sigmoid_keras3', // tfjs's 'hardSigmoid' is Keras 2's formula
  swish: 'silu',
  hard_swish: 'hard_silu',
};

/** Keras 2's own meaning of a name where it differs from Keras 3's (used for files that say Keras 2.x saved them). */
const KERAS2_ACTIVATIONS: {[k: string]: string} = {
  hard_sigmoid: 'hard_sigmoid_keras2', // clip(0.2x + 0.5, 0, 1), not Keras 3's relu6(x + 3)/6
};

/** Whether a file's `keras_version` is a Keras 2 release (tf.keras, tf_keras or standalone Keras 2.x). */
export function isKeras2(kerasVersion: string): boolean {
  return /^2\./.test(kerasVersion.trim());
}

class Translator {
  readonly layers: LayerInfo[] = [];
  readonly notes: string[] = [];
  constructor(
    private readonly customObjects: {[k: string]: CustomObject},
    private readonly kerasVersion = '',
  ) {}

  fail(path: string[], cls: string, field: string | undefined, why: string, hint = DEFAULT_HINT): never {
    const where = `layer '${path.join('/')}' (class ${cls})` + (field ? `, field '${field}'` : '');
    throw new KerasImportError(`loadKerasModel: ${where}: ${why}. ${hint}`, path.join('/'), cls, field);
  }

  // ------------------------------------------------------------------ values

  activation(path: string[], cls: string, field: string, v: Json, info: LayerInfo): string {
    let name: string;
    if (typeof v === 'string') {
      name = v;
    } else if (isDict(v) && typeof v.registered_name === 'string' && v.registered_name in this.customObjects) {
      name = v.registered_name;
    } else if (isDict(v) && v.class_name === 'function' && typeof v.config === 'string') {
      name = v.config;
    } else if (v === null) {
      name = 'linear';
    } else {
      this.fail(path, cls, field, `activation ${JSON.stringify(v).slice(0, 120)} is not a known activation`);
    }
    const custom = this.customObjects[name];
    if (custom !== undefined) {
      const id = typeof custom === 'string' ? custom : custom.className;
      if (!(id in classMap()) && !(camel(id) in classMap())) {
        this.fail(
          path,
          cls,
          field,
          `options.customObjects maps '${name}' to '${id}', which is not a registered ` + `tfjs activation`,
        );
      }
      info.activations.push(name);
      return id;
    }
    if (name === 'glu') {
      this.fail(
        path,
        cls,
        field,
        `'glu' halves its axis, which ${cls} cannot report as its output shape ` + `(Keras cannot either)`,
        "Use Activation('glu') as a separate layer.",
      );
    }
    if (name === 'threshold') {
      this.fail(path, cls, field, `'threshold' needs parameters a string cannot carry`);
    }
    const keras2 = isKeras2(this.kerasVersion) ? KERAS2_ACTIVATIONS[name] : undefined;
    const id = keras2 ?? ACTIVATION_RENAMES[name] ?? name;
    if (!(camel(id) in classMap())) {
      const registered =
        isDict(v) && typeof v.registered_name === 'string' ? ` (registered name '${v.registered_name}')` : '';
      this.fail(path, cls, field, `unknown activation '${name}'${registered}`);
    }
    info.activations.push(name);
    if (id !== name) {
      const semantics =
        keras2 !== undefined ? `Keras 2 semantics, as in Keras ${this.kerasVersion}` : 'Keras 3 semantics';
      info.notes.push(`${field} '${name}' → '${id}' (${semantics})`);
    }
    return id;
  }

  initializer(path: string[], cls: string, field: string, v: Json): Json {
    if (v === null) return null;
    if (typeof v === 'string') return {class_name: INITIALIZERS[v] ?? v, config: {}};
    if (!isDict(v) || typeof v.class_name !== 'string') this.fail(path, cls, field, 'unreadable initializer');
    const k = v.class_name as string;
    const cfg: Dict = isDict(v.config) ? {...v.config} : {};
    let tfjsName = INITIALIZERS[k] ?? k;
    if (tfjsName === 'Orthogonal' && !orthogonalWorks()) {
      // tfjs-layers' Orthogonal calls chained tensor methods that only the @tensorflow/tfjs union package
      // registers; it only matters when training from scratch (the imported weights replace it)
      tfjsName = 'GlorotUniform';
      this.notes.push(
        `${path.join('/')}: ${field} Orthogonal → GlorotUniform (tfjs's Orthogonal needs the ` +
          '@tensorflow/tfjs package; the imported weights are unaffected)',
      );
    }
    if (!(tfjsName in classMap())) {
      this.fail(path, cls, field, `initializer '${k}' has no tfjs equivalent`);
    }
    const out: Dict = {};
    for (const key of [
      'seed',
      'mean',
      'stddev',
      'minval',
      'maxval',
      'scale',
      'mode',
      'distribution',
      'gain',
      'value',
    ]) {
      if (key in cfg && cfg[key] !== null) out[key] = cfg[key];
    }
    if (out.distribution === 'untruncated_normal') out.distribution = 'normal';
    return {class_name: tfjsName, config: out};
  }

  regularizer(path: string[], cls: string, field: string, v: Json): Json {
    if (v === null) return null;
    if (!isDict(v) || typeof v.class_name !== 'string') this.fail(path, cls, field, 'unreadable regularizer');
    const cfg = isDict(v.config) ? v.config : {};
    const k = v.class_name as string;
    if (k === 'L1' || k === 'L2' || k === 'L1L2') {
      return {class_name: 'L1L2', config: {l1: Number(cfg.l1 ?? 0), l2: Number(cfg.l2 ?? 0)}};
    }
    this.fail(path, cls, field, `regularizer '${k}' has no tfjs equivalent`);
  }

  constraint(path: string[], cls: string, field: string, v: Json): Json {
    if (v === null) return null;
    if (!isDict(v) || typeof v.class_name !== 'string') this.fail(path, cls, field, 'unreadable constraint');
    const k = v.class_name as string;
    if (!['MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'].includes(k)) {
      this.fail(path, cls, field, `constraint '${k}' has no tfjs equivalent`);
    }
    return {class_name: k, config: isDict(v.config) ? v.config : {}};
  }

  dtype(path: string[], cls: string, v: Json, info: LayerInfo): string {
    let name = 'float32';
    if (typeof v === 'string') name = v;
    else if (isDict(v) && isDict(v.config) && typeof v.config.name === 'string') name = v.config.name;
    if (name.startsWith('mixed_') || name === 'float16' || name === 'bfloat16' || name === 'float64') {
      info.notes.push(`dtype policy '${name}' runs as float32`);
      return 'float32';
    }
    if (!['float32', 'int32', 'int64', 'bool', 'uint8', 'int8', 'int16'].includes(name)) {
      this.fail(path, cls, 'dtype', `dtype '${name}' is not supported`);
    }
    return name.startsWith('int') || name === 'uint8' ? 'int32' : name;
  }

  // ------------------------------------------------------------------ layers

  /** Translates one layer entry (with its inbound nodes) of a functional config. */
  layer(entry: Dict, outer: string[], out: Dict[]): void {
    const cls = String(entry.class_name);
    const cfg: Dict = isDict(entry.config) ? entry.config : {};
    const name = String(cfg.name ?? entry.name);
    const path = [...outer, name];
    const module = typeof entry.module === 'string' ? entry.module : '';
    const inbound = this.inbound(path, cls, entry.inbound_nodes ?? []);
    if (module.startsWith('keras.src.ops')) {
      out.push(this.opNode(path, cls, name, entry, inbound));
      return;
    }
    if (cls === 'Sequential' || cls === 'Functional' || cls === 'Model') {
      const info: LayerInfo = {path, kerasClass: cls, tfjsClass: 'Model', activations: [], notes: []};
      this.layers.push(info);
      const model = this.model(entry, path);
      out.push({class_name: 'Model', config: model.config as Json, name, inbound_nodes: inbound.nodes});
      return;
    }
    const info: LayerInfo = {path, kerasClass: cls, tfjsClass: cls, activations: [], notes: []};
    const registered = typeof entry.registered_name === 'string' ? entry.registered_name : cls;
    const custom = this.customObjects[registered] ?? this.customObjects[cls];
    let translated: {className: string; config: Dict};
    if (custom !== undefined) {
      const target = typeof custom === 'string' ? custom : custom.className;
      if (!(target in classMap())) {
        this.fail(
          path,
          cls,
          undefined,
          `options.customObjects maps '${registered}' to '${target}', ` + `which is not a registered tfjs class`,
        );
      }
      const base: Dict = {};
      for (const [k, v] of Object.entries(cfg)) if (k !== 'dtype') base[k] = v;
      base.name = name;
      base.dtype = this.dtype(path, cls, cfg.dtype ?? 'float32', info);
      translated = {className: target, config: typeof custom === 'string' ? base : (custom.config?.(base) ?? base)};
      info.notes.push(`mapped by options.customObjects to ${target}`);
    } else {
      const spec = LAYERS[cls];
      if (
        spec === undefined ||
        (module !== '' &&
          !module.startsWith('keras.layers') &&
          !module.startsWith('keras.src.layers') &&
          module !== 'keras')
      ) {
        const what = registered !== cls ? `registered custom object '${registered}'` : `layer class '${cls}'`;
        const why =
          cls === 'Lambda'
            ? 'a Lambda layer holds Python code, which cannot run in TensorFlow.js'
            : `${what} is not supported by the importer`;
        this.fail(
          path,
          cls,
          undefined,
          why,
          cls === 'Lambda'
            ? 'Replace it by a registered custom layer in Keras and map it with options.customObjects, ' +
                'or by built-in layers.'
            : DEFAULT_HINT,
        );
      }
      translated = this.fields(path, cls, cfg, spec, info);
    }
    info.tfjsClass = translated.className;
    this.layers.push(info);
    out.push({class_name: translated.className, config: translated.config as Json, name, inbound_nodes: inbound.nodes});
  }

  fields(path: string[], cls: string, cfg: Dict, spec: LayerSpec, info: LayerInfo): {className: string; config: Dict} {
    const out: Dict = {name: String(cfg.name), trainable: cfg.trainable ?? true};
    let className = spec.className ?? cls;
    for (const [key, value] of Object.entries(cfg)) {
      if (key === 'name' || key === 'trainable') continue;
      if (key === 'dtype') {
        out.dtype = this.dtype(path, cls, value, info);
        continue;
      }
      const rule = spec.fields[key] ?? COMMON_FIELDS[key];
      if (rule === undefined) {
        this.fail(path, cls, key, `field '${key}' (value ${JSON.stringify(value)?.slice(0, 80)}) is not supported`);
      }
      if (rule === 'copy') out[key] = value;
      else if (rule === 'drop') continue;
      else if (rule === 'activation') out[key] = this.activation(path, cls, key, value, info);
      else if (rule === 'initializer') out[key] = this.initializer(path, cls, key, value);
      else if (rule === 'regularizer') out[key] = this.regularizer(path, cls, key, value);
      else if (rule === 'constraint') out[key] = this.constraint(path, cls, key, value);
      else if (typeof rule === 'object' && 'only' in rule) {
        if (JSON.stringify(value) !== JSON.stringify(rule.only) && !(rule.alsoNull && value === null)) {
          this.fail(path, cls, key, `only ${JSON.stringify(rule.only)} is supported, got ${JSON.stringify(value)}`);
        }
      } else if (typeof rule === 'object' && 'rename' in rule) {
        out[rule.rename] = value;
      } else if (typeof rule === 'function') {
        const r = rule(value, {path, cls, cfg, out, info, t: this});
        if (r !== undefined) className = r;
      }
    }
    if (spec.finish) {
      const r = spec.finish({path, cls, cfg, out, info, t: this});
      if (r !== undefined) className = r;
    }
    return {className, config: out};
  }

  /** A keras.src.ops node: a binary element-wise op with at most one constant. */
  opNode(path: string[], cls: string, name: string, entry: Dict, inbound: {nodes: Json[]; operands: Json[][]}): Dict {
    const op = NUMPY_OPS[cls];
    if (op === undefined) {
      this.fail(
        path,
        cls,
        undefined,
        `operation ${String(entry.module)}.${cls} is not supported ` +
          `(supported: ${Object.keys(NUMPY_OPS).join(', ')})`,
      );
    }
    if (inbound.operands.length !== 1) this.fail(path, cls, 'inbound_nodes', 'an operation node must be called once');
    const operands = inbound.operands[0];
    if (operands.length !== 2 || operands.some(o => o !== null && typeof o !== 'number')) {
      this.fail(
        path,
        cls,
        'inbound_nodes',
        `operands ${JSON.stringify(operands)} are not two tensors or a tensor ` + 'and a number',
      );
    }
    this.layers.push({path, kerasClass: `ops.${cls}`, tfjsClass: 'KerasNumpyOp', activations: [], notes: []});
    return {
      class_name: 'KerasNumpyOp',
      config: {name, trainable: true, dtype: 'float32', op, operands},
      name,
      inbound_nodes: inbound.nodes,
    };
  }

  /**
   * Inbound nodes → tfjs's `[[[layer, node, tensor, kwargs], ...], ...]`, plus
   * each node's operand list (null = tensor, number = constant) for op nodes.
   */
  inbound(path: string[], cls: string, nodes: Json): {nodes: Json[]; operands: Json[][]} {
    if (!Array.isArray(nodes)) this.fail(path, cls, 'inbound_nodes', 'not a list');
    const outNodes: Json[] = [];
    const operands: Json[][] = [];
    for (const node of nodes) {
      if (Array.isArray(node)) {
        // Keras 2: already [[layer, node, tensor, kwargs], ...]
        outNodes.push(node.map(t => (Array.isArray(t) ? [t[0], t[1], t[2], isDict(t[3]) ? t[3] : {}] : t)));
        operands.push(node.map(() => null));
        continue;
      }
      if (!isDict(node) || !Array.isArray(node.args)) this.fail(path, cls, 'inbound_nodes', 'unreadable node');
      const tensors: Json[] = [];
      const ops: Json[] = [];
      const visit = (a: Json, top: boolean): void => {
        if (isDict(a) && a.class_name === '__keras_tensor__') {
          const h = (a.config as Dict).keras_history as Json[];
          tensors.push([h[0], h[1], h[2], {}]);
          if (top) ops.push(null);
        } else if (Array.isArray(a)) {
          a.forEach(x => visit(x, false));
        } else if (top && typeof a === 'number') {
          ops.push(a);
        } else if (a !== null) {
          this.fail(path, cls, 'inbound_nodes', `argument ${JSON.stringify(a).slice(0, 80)} is not a tensor`);
        }
      };
      (node.args as Json[]).forEach(a => visit(a, true));
      const kwargs = isDict(node.kwargs) ? node.kwargs : {};
      for (const [k, v] of Object.entries(kwargs)) {
        if (v === null || k === 'training') continue;
        if (k === 'mask' || (isDict(v) && v.class_name === '__keras_tensor__')) {
          this.fail(path, cls, `inbound_nodes.kwargs.${k}`, 'tensor keyword arguments are not supported');
        }
        if (typeof v !== 'boolean' && typeof v !== 'number') {
          this.fail(
            path,
            cls,
            `inbound_nodes.kwargs.${k}`,
            `call argument ${JSON.stringify(v).slice(0, 60)} is not supported`,
          );
        }
        this.fail(path, cls, `inbound_nodes.kwargs.${k}`, `call argument ${k}=${JSON.stringify(v)} is not supported`);
      }
      outNodes.push(tensors);
      operands.push(ops);
    }
    return {nodes: outNodes, operands};
  }

  /** A model config (Sequential or functional, Keras 2 or 3) → tfjs functional 'Model' topology. */
  model(entry: Dict, outer: string[]): Dict {
    const cls = String(entry.class_name);
    const cfg: Dict = isDict(entry.config) ? entry.config : {};
    const name = String(cfg.name ?? outer[outer.length - 1] ?? 'model');
    const layersOut: Dict[] = [];
    const inner = outer.length === 0 ? [] : outer;
    if (!Array.isArray(cfg.layers)) this.fail(outer.length ? outer : [name], cls, 'layers', 'missing layer list');
    let inputs: Json, outputs: Json;
    if (cls === 'Sequential') {
      const list = cfg.layers as Dict[];
      let prev: string;
      let rest = list;
      if (list.length > 0 && list[0].class_name === 'InputLayer') {
        this.layer({...list[0], inbound_nodes: []}, inner, layersOut);
        prev = String((list[0].config as Dict).name);
        rest = list.slice(1);
      } else {
        const shape = (cfg.build_input_shape ??
          (list[0]?.config as Dict)?.batch_input_shape ??
          (list[0]?.config as Dict)?.batch_shape) as Json;
        if (!Array.isArray(shape)) {
          this.fail(
            [...inner, name],
            cls,
            'build_input_shape',
            'the Sequential model was never built (no input shape)',
          );
        }
        prev = `${name}_input`;
        layersOut.push({
          class_name: 'InputLayer',
          name: prev,
          inbound_nodes: [],
          config: {name: prev, batch_input_shape: shape, dtype: 'float32', sparse: false},
        });
      }
      for (const l of rest) {
        const lname = String((l.config as Dict)?.name);
        this.layer({...l, inbound_nodes: [[[prev, 0, 0, {}]]]}, inner, layersOut);
        prev = lname;
      }
      inputs = [[layersOut[0].name, 0, 0]];
      outputs = [[prev, 0, 0]];
    } else {
      for (const l of cfg.layers as Dict[]) this.layer(l, inner, layersOut);
      const triples = (v: Json): Json => (Array.isArray(v) && typeof v[0] === 'string' ? [v] : v);
      inputs = triples(cfg.input_layers ?? []);
      outputs = triples(cfg.output_layers ?? []);
      // Keras 3 numbers a nested model's calls from 0; in tfjs (as in Keras 2) node 0 of a model is the one
      // that built it, so its first call is node 1
      const keras3 = (cfg.layers as Dict[]).some(l => Array.isArray(l.inbound_nodes) && l.inbound_nodes.some(isDict));
      const nested = new Set(layersOut.filter(l => l.class_name === 'Model').map(l => String(l.name)));
      if (keras3 && nested.size > 0) {
        const bump = (ref: Json): void => {
          if (Array.isArray(ref) && nested.has(String(ref[0])) && typeof ref[1] === 'number') ref[1] = ref[1] + 1;
        };
        for (const l of layersOut) (l.inbound_nodes as Json[][]).forEach(node => node.forEach(bump));
        (outputs as Json[]).forEach(bump);
      }
    }
    return {
      class_name: 'Model',
      config: {name, layers: layersOut as Json, input_layers: inputs, output_layers: outputs},
    };
  }
}

// ---------------------------------------------------------------------------
// the layer table

interface Ctx {
  path: string[];
  cls: string;
  cfg: Dict;
  out: Dict;
  info: LayerInfo;
  t: Translator;
}
type Rule =
  | 'copy'
  | 'drop'
  | 'activation'
  | 'initializer'
  | 'regularizer'
  | 'constraint'
  | {only: Json; alsoNull?: boolean}
  | {rename: string}
  | ((v: Json, c: Ctx) => string | void);

interface LayerSpec {
  className?: string;
  fields: {[k: string]: Rule};
  finish?: (c: Ctx) => string | void;
}

const INITIALIZERS: {[k: string]: string} = {
  GlorotUniform: 'GlorotUniform',
  GlorotNormal: 'GlorotNormal',
  HeUniform: 'HeUniform',
  HeNormal: 'HeNormal',
  LecunUniform: 'LeCunUniform',
  LecunNormal: 'LeCunNormal',
  Zeros: 'Zeros',
  Ones: 'Ones',
  Constant: 'Constant',
  RandomUniform: 'RandomUniform',
  RandomNormal: 'RandomNormal',
  TruncatedNormal: 'TruncatedNormal',
  VarianceScaling: 'VarianceScaling',
  Orthogonal: 'Orthogonal',
  OrthogonalInitializer: 'Orthogonal',
  Identity: 'Identity',
  IdentityInitializer: 'Identity',
  glorot_uniform: 'GlorotUniform',
  glorot_normal: 'GlorotNormal',
  he_uniform: 'HeUniform',
  he_normal: 'HeNormal',
  zeros: 'Zeros',
  ones: 'Ones',
  orthogonal: 'Orthogonal',
  lecun_uniform: 'LeCunUniform',
  lecun_normal: 'LeCunNormal',
  random_uniform: 'RandomUniform',
  random_normal: 'RandomNormal',
  truncated_normal: 'TruncatedNormal',
};

const NUMPY_OPS: {[k: string]: string} = {
  Add: 'add',
  Subtract: 'subtract',
  Multiply: 'multiply',
  Divide: 'divide',
  TrueDivide: 'divide',
  Maximum: 'maximum',
};

/** Fields every layer may carry that need nothing (Keras 3 bookkeeping). */
const COMMON_FIELDS: {[k: string]: Rule} = {
  module: 'drop',
  registered_name: 'drop',
  build_config: 'drop',
  shared_object_id: 'drop',
  activity_regularizer: 'regularizer',
  autocast: 'drop',
  input_dim: 'copy',
  input_shape: 'drop',
  batch_size: 'drop',
};

const KRC = (p: string): {[k: string]: Rule} => ({
  [`${p}_initializer`]: 'initializer',
  [`${p}_regularizer`]: 'regularizer',
  [`${p}_constraint`]: 'constraint',
});
const noLora: {[k: string]: Rule} = {quantization_config: {only: null}, lora_rank: {only: null}, lora_alpha: 'drop'};
const conv = (extra: {[k: string]: Rule}): LayerSpec => ({
  fields: {
    filters: 'copy',
    kernel_size: 'copy',
    strides: 'copy',
    padding: (v, c) => {
      // tfjs-layers 4.22 accepts 'causal' in the config but cannot run it
      if (v !== 'valid' && v !== 'same')
        c.t.fail(c.path, c.cls, 'padding', `padding '${v}' is not supported by tfjs-layers`);
      c.out.padding = v;
    },
    data_format: 'copy',
    dilation_rate: 'copy',
    groups: {only: 1},
    activation: 'activation',
    use_bias: 'copy',
    ...KRC('kernel'),
    ...KRC('bias'),
    ...noLora,
    ...extra,
  },
});
const pool: LayerSpec = {fields: {pool_size: 'copy', strides: 'copy', padding: 'copy', data_format: 'copy'}};
const globalPool = (mode: string, rank: number): LayerSpec => ({
  fields: {
    data_format: 'copy',
    keepdims: (v, c) => {
      if (v !== true) return;
      c.out.mode = mode;
      c.out.rank = rank;
      c.out.keepdims = true;
      return 'KerasGlobalPooling';
    },
  },
});
const rnnCommon: {[k: string]: Rule} = {
  units: 'copy',
  activation: 'activation',
  recurrent_activation: 'activation',
  use_bias: 'copy',
  ...KRC('kernel'),
  ...KRC('recurrent'),
  ...KRC('bias'),
  dropout: 'copy',
  recurrent_dropout: 'copy',
  return_sequences: 'copy',
  return_state: {only: false},
  go_backwards: 'copy',
  stateful: {only: false},
  unroll: 'drop',
  seed: 'drop',
  zero_output_for_mask: 'drop',
  implementation: 'drop',
  time_major: {only: false},
};
const mergeSpec: LayerSpec = {fields: {}};
const dropout: LayerSpec = {className: 'Dropout', fields: {rate: 'copy', noise_shape: 'copy', seed: 'drop'}};

const LAYERS: {[cls: string]: LayerSpec} = {
  InputLayer: {
    fields: {
      batch_shape: {rename: 'batch_input_shape'},
      batch_input_shape: 'copy',
      sparse: {only: false},
      ragged: {only: false},
      optional: {only: false},
      input_tensor: {only: null},
    },
  },
  Dense: {
    fields: {units: 'copy', activation: 'activation', use_bias: 'copy', ...KRC('kernel'), ...KRC('bias'), ...noLora},
  },
  Activation: {
    fields: {
      activation: (v, c) => {
        if (v === 'glu') {
          c.out.axis = -1;
          c.info.activations.push('glu');
          return 'GluActivation';
        }
        c.out.activation = c.t.activation(c.path, c.cls, 'activation', v, c.info);
      },
    },
  },
  Dropout: dropout,
  SpatialDropout1D: dropout,
  SpatialDropout2D: dropout,
  SpatialDropout3D: dropout,
  GaussianDropout: {className: 'GaussianDropout', fields: {rate: 'copy', seed: 'drop'}},
  GaussianNoise: {className: 'GaussianNoise', fields: {stddev: 'copy', seed: 'drop'}},
  AlphaDropout: {className: 'AlphaDropout', fields: {rate: 'copy', noise_shape: 'copy', seed: 'drop'}},
  Flatten: {fields: {data_format: 'copy'}},
  Reshape: {fields: {target_shape: 'copy'}},
  Permute: {fields: {dims: 'copy'}},
  RepeatVector: {fields: {n: 'copy'}},
  Conv1D: conv({}),
  Conv2D: conv({}),
  DepthwiseConv2D: {
    fields: {
      kernel_size: 'copy',
      strides: 'copy',
      padding: 'copy',
      depth_multiplier: 'copy',
      data_format: 'copy',
      dilation_rate: 'copy',
      activation: 'activation',
      use_bias: 'copy',
      ...KRC('depthwise'),
      ...KRC('bias'),
    },
  },
  SeparableConv2D: {
    fields: {
      filters: 'copy',
      kernel_size: 'copy',
      strides: 'copy',
      padding: 'copy',
      depth_multiplier: 'copy',
      data_format: 'copy',
      dilation_rate: 'copy',
      activation: 'activation',
      use_bias: 'copy',
      ...KRC('depthwise'),
      ...KRC('pointwise'),
      ...KRC('bias'),
    },
  },
  MaxPooling1D: pool,
  MaxPooling2D: pool,
  AveragePooling1D: pool,
  AveragePooling2D: pool,
  GlobalAveragePooling1D: globalPool('avg', 1),
  GlobalAveragePooling2D: globalPool('avg', 2),
  GlobalMaxPooling1D: globalPool('max', 1),
  GlobalMaxPooling2D: globalPool('max', 2),
  ZeroPadding2D: {fields: {padding: 'copy', data_format: 'copy'}},
  Cropping2D: {fields: {cropping: 'copy', data_format: 'copy'}},
  UpSampling2D: {fields: {size: 'copy', data_format: 'copy', interpolation: 'copy'}},
  BatchNormalization: {
    fields: {
      axis: (v, c) => {
        const a = Array.isArray(v) ? v : [v];
        if (a.length !== 1) c.t.fail(c.path, c.cls, 'axis', `only one axis is supported, got ${JSON.stringify(v)}`);
        c.out.axis = a[0];
      },
      momentum: 'copy',
      epsilon: 'copy',
      center: 'copy',
      scale: 'copy',
      ...KRC('beta'),
      ...KRC('gamma'),
      moving_mean_initializer: 'initializer',
      moving_variance_initializer: 'initializer',
      synchronized: 'drop',
      renorm: {only: false},
      renorm_clipping: {only: null},
      renorm_momentum: 'drop',
    },
  },
  LayerNormalization: {
    fields: {
      axis: 'copy',
      epsilon: 'copy',
      center: 'copy',
      scale: 'copy',
      rms_scaling: {only: false},
      ...KRC('beta'),
      ...KRC('gamma'),
    },
  },
  Normalization: {
    className: 'KerasNormalization',
    fields: {
      axis: 'copy',
      invert: 'copy',
      mean: {only: null},
      variance: {only: null},
    },
  },
  Rescaling: {fields: {scale: 'copy', offset: 'copy'}},
  Embedding: {
    fields: {
      input_dim: 'copy',
      output_dim: 'copy',
      ...KRC('embeddings'),
      mask_zero: 'copy',
      input_length: 'copy',
      sparse: {only: false},
      ...noLora,
    },
  },
  Add: mergeSpec,
  Subtract: mergeSpec,
  Multiply: mergeSpec,
  Average: mergeSpec,
  Maximum: mergeSpec,
  Minimum: mergeSpec,
  Concatenate: {fields: {axis: 'copy'}},
  Dot: {fields: {axes: 'copy', normalize: 'copy'}},
  LSTM: {fields: {...rnnCommon, unit_forget_bias: 'copy', use_cudnn: 'drop'}},
  GRU: {
    fields: {...rnnCommon, reset_after: 'copy', use_cudnn: 'drop'},
    finish: c => {
      if (c.cfg.reset_after === false) {
        delete c.out.reset_after;
        return;
      }
      // tfjs-layers has no reset_after=True GRU: KerasGRU computes Keras's form
      for (const k of ['kernel', 'recurrent', 'bias']) {
        for (const s of ['regularizer', 'constraint']) {
          if (c.out[`${k}_${s}`] != null) {
            c.t.fail(c.path, c.cls, `${k}_${s}`, 'not supported on a reset_after=True GRU');
          }
        }
      }
      if (c.out.activity_regularizer != null) c.t.fail(c.path, c.cls, 'activity_regularizer', 'not supported on GRU');
      for (const k of Object.keys(c.out)) {
        if (
          ![
            'name',
            'trainable',
            'dtype',
            'units',
            'activation',
            'recurrent_activation',
            'use_bias',
            'return_sequences',
            'go_backwards',
            'reset_after',
          ].includes(k)
        )
          delete c.out[k];
      }
      c.info.notes.push('reset_after=True GRU → KerasGRU');
      return 'KerasGRU';
    },
  },
  ReLU: {
    fields: {max_value: 'copy', negative_slope: 'copy', threshold: 'copy'},
    finish: c => {
      const slope = Number(c.out.negative_slope ?? 0),
        thr = Number(c.out.threshold ?? 0);
      if (slope === 0 && thr === 0) {
        delete c.out.negative_slope;
        delete c.out.threshold;
        return; // tfjs's ReLU(max_value) is the same
      }
      return 'ReluActivation';
    },
  },
  LeakyReLU: {fields: {negative_slope: {rename: 'alpha'}, alpha: 'copy'}},
  ELU: {fields: {alpha: 'copy'}, finish: c => (Number(c.out.alpha ?? 1) === 1 ? undefined : 'EluActivation')},
  Softmax: {className: 'SoftmaxActivation', fields: {axis: 'copy'}},
  PReLU: {fields: {...KRC('alpha'), shared_axes: 'copy'}},
};

/** Keras layer classes the importer translates (for docs and messages). */
export const supportedLayers = Object.keys(LAYERS);

/**
 * Translates a Keras model config (what config.json or the h5 `model_config` holds). `kerasVersion` is the
 * file's `keras_version`: names whose meaning changed in Keras 3 keep Keras 2's for a Keras 2.x file.
 */
export function translateConfig(
  config: unknown,
  customObjects: {[k: string]: CustomObject} = {},
  kerasVersion = '',
): Translation {
  if (!isDict(config)) throw new KerasImportError('loadKerasModel: the model config is not a JSON object');
  const root: Dict = isDict(config.config) && 'class_name' in config ? config : {class_name: 'Model', config};
  const cls = String(root.class_name);
  if (!['Sequential', 'Functional', 'Model'].includes(cls)) {
    throw new KerasImportError(
      `loadKerasModel: the saved object is a '${cls}', not a Sequential or functional model ` +
        '(subclassed models save no graph)',
      undefined,
      cls,
    );
  }
  const t = new Translator(customObjects, kerasVersion);
  const topology = t.model(root, []);
  return {topology, layers: t.layers, notes: t.notes, kerasVersion};
}
