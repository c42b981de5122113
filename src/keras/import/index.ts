/**
 * The Keras import itself (loaded on demand by `loadKerasModel`): reads the
 * file, translates the config (refusing before any weight is read), builds
 * the tfjs-layers model and sets its weights from the Keras weights file.
 */
import {io, tensor, serialization} from '@tensorflow/tfjs-core';
import type {Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {fileKind, H5, jsfiveStructCached, KerasArchive, readSource} from './archive';
import type {KerasSource} from './archive';
import {KerasImportError, supportedLayers, translateConfig} from './translate';
import type {CustomObject, LayerInfo, Translation} from './translate';

export {jsfiveStructCached, KerasImportError, supportedLayers, translateConfig};
export type {CustomObject, KerasSource, LayerInfo, Translation};

export interface LoadKerasModelOptions {
  /**
   * Registered Keras names (a custom layer's `registered_name` or class name,
   * a custom activation's name) mapped to a tfjs class name or activation id
   * (or `{className, config(kerasConfig) → tfjsConfig}` for a layer).
   */
  customObjects?: {[name: string]: CustomObject};
  /** Called with the fraction done (0 to 1) while the weights are read, as tfjs's loaders do. */
  onProgress?: (fraction: number) => void;
}

/** What was imported, for the convert command's summary. */
export interface KerasImportReport {
  format: 'keras' | 'h5';
  kerasVersion: string;
  layers: LayerInfo[];
  params: number;
  activations: string[];
  notes: string[];
}

type ArraysFor = (path: string[]) => Array<{shape: number[]; values: Float32Array}>;

interface Opened {
  format: 'keras' | 'h5';
  config: unknown;
  kerasVersion: string;
  /** Opens the weights (only after the translation succeeded). */
  weights: (skip: Set<string>) => ArraysFor;
}

function open(bytes: Uint8Array, name: string): Opened {
  const kind = fileKind(bytes, name);
  if (kind === 'keras') {
    const zip = new KerasArchive(bytes, name);
    const meta = zip.json('metadata.json') as {keras_version?: string};
    return {
      format: 'keras',
      config: zip.json('config.json'),
      kerasVersion: meta.keras_version ?? '',
      weights: skip => kerasWeights(zip.weights(), skip),
    };
  }
  const h5 = new H5(bytes, name);
  const attrs = h5.attrs();
  const raw = attrs.model_config;
  if (typeof raw !== 'string') {
    throw new KerasImportError(
      `loadKerasModel: ${name} is an HDF5 file without a 'model_config' attribute: a weights-only ` +
        "file, not a full model saved with model.save('x.h5')",
    );
  }
  return {
    format: 'h5',
    config: JSON.parse(raw),
    kerasVersion: String(attrs.keras_version ?? ''),
    weights: () => legacyWeights(h5),
  };
}

/** `.keras` weights: `layers/<auto name>/vars/<i>`, the layer's name in the `vars` group's `name` attribute. */
function kerasWeights(h5: H5, skip: Set<string>): ArraysFor {
  const build = (skipping: boolean): Map<string, string> => {
    const groups = new Map<string, string>();
    const index = (base: string, outer: string[]): void => {
      for (const child of h5.keys(`${base}layers`)) {
        // groups are named after the class (`dense_3`): those of classes without weights need not be opened
        if (skipping && skip.has(child.replace(/_\d+$/, ''))) continue;
        const g = `${base}layers/${child}`;
        const name = String(h5.attrs(`${g}/vars`).name ?? child);
        const path = [...outer, name];
        groups.set(path.join('/'), g);
        if (h5.has(`${g}/layers`)) index(`${g}/`, path);
      }
    };
    index('', []);
    return groups;
  };
  let groups = build(true);
  let complete = skip.size === 0;
  const collect = (g: string): Array<{shape: number[]; values: Float32Array}> => {
    const out = h5
      .keys(`${g}/vars`)
      .map(Number)
      .sort((a, b) => a - b)
      .map(i => h5.dataset(`${g}/vars/${i}`));
    for (const sub of h5.keys(g)) {
      if (sub !== 'vars' && sub !== 'layers') out.push(...collect(`${g}/${sub}`));
    }
    return out;
  };
  return path => {
    let g = groups.get(path.join('/'));
    if (g === undefined && !complete) {
      // a layer in a skipped group after all: index everything
      groups = build(false);
      complete = true;
      g = groups.get(path.join('/'));
    }
    return g === undefined ? [] : collect(g);
  };
}

/** Keras's `to_snake_case` of a class name (how `.keras` files name layer groups). */
function kerasSnake(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Snake-case class names used only by layers that have no weights in the built model. */
function weightlessGroups(t: Translation, model: LayersModel): Set<string> {
  const weighted = new Set<string>();
  const byPath = new Map<string, TfjsLayer>();
  const walk = (layers: TfjsLayer[], outer: string[]): void => {
    for (const l of layers) {
      byPath.set([...outer, l.name].join('/'), l);
      if (Array.isArray(l.layers)) walk(l.layers, [...outer, l.name]);
    }
  };
  walk(model.layers as unknown as TfjsLayer[], []);
  const all = new Set<string>();
  for (const info of t.layers) {
    const snake = kerasSnake(info.kerasClass.replace(/^ops\./, ''));
    all.add(snake);
    const l = byPath.get(info.path.join('/'));
    if (l === undefined || l.weights.length > 0 || Array.isArray(l.layers)) weighted.add(snake);
  }
  return new Set([...all].filter(c => !weighted.has(c)));
}

/** Legacy `.h5` weights: `model_weights/<layer>/` with the attribute `weight_names` listing the datasets in order. */
function legacyWeights(h5: H5): ArraysFor {
  return path => {
    const g = `model_weights/${path[0]}`;
    if (!h5.has(g)) return [];
    const names = h5.attrs(g).weight_names;
    const list = (Array.isArray(names) ? names : []).map(String);
    const wanted =
      path.length === 1
        ? list
        : list.filter(n => {
            const parts = n.replace(/:\d+$/, '').split('/');
            return parts[parts.length - 2] === path[path.length - 1];
          });
    return wanted.map(n => h5.dataset(`${g}/${n}`));
  };
}

interface TfjsLayer {
  name: string;
  weights: Array<{shape: number[]; originalName: string}>;
  layers?: TfjsLayer[];
  getClassName(): string;
  setWeights(ws: Tensor[]): void;
}

/** Sets every layer's weights; returns how many values were read. */
function setWeights(model: LayersModel, arraysFor: ArraysFor, onProgress?: (f: number) => void): void {
  const total = model.weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0) || 1;
  let done = 0;
  onProgress?.(0);
  const visit = (layer: TfjsLayer, outer: string[]): void => {
    const path = [...outer, layer.name];
    if (Array.isArray(layer.layers) && layer !== (model as unknown as TfjsLayer)) {
      layer.layers.forEach(l => visit(l, path));
      return;
    }
    const weights = layer.weights; // (a getter that builds a new list on each read)
    if (weights.length === 0) return;
    let arrays = arraysFor(path);
    // Keras's Normalization also stores the adapt() sample count, which inference does not use
    if (layer.getClassName() === 'KerasNormalization') arrays = arrays.slice(0, 2);
    if (arrays.length !== weights.length) {
      throw new KerasImportError(
        `loadKerasModel: layer '${path.join('/')}' (${layer.getClassName()}) has ` +
          `${weights.length} weights in tfjs but ${arrays.length} in the Keras file`,
        path.join('/'),
        layer.getClassName(),
      );
    }
    const ts = arrays.map((a, i) => {
      const want = weights[i].shape;
      if (want.length !== a.shape.length || want.some((d, j) => d !== a.shape[j])) {
        throw new KerasImportError(
          `loadKerasModel: layer '${path.join('/')}' (${layer.getClassName()}): weight ` +
            `${weights[i].originalName} has shape [${want}] in tfjs but [${a.shape}] in ` +
            'the Keras file',
          path.join('/'),
          layer.getClassName(),
        );
      }
      return tensor(a.values, a.shape, 'float32');
    });
    try {
      layer.setWeights(ts);
    } finally {
      ts.forEach(t => t.dispose());
    }
    done += arrays.reduce((n, a) => n + a.values.length, 0);
    onProgress?.(Math.min(done / total, 1));
  };
  (model.layers as unknown as TfjsLayer[]).forEach(l => visit(l, []));
  onProgress?.(1);
}

function report(opened: Opened, t: Translation, model: LayersModel): KerasImportReport {
  const acts = new Set<string>();
  t.layers.forEach(l => l.activations.forEach(a => acts.add(a)));
  return {
    format: opened.format,
    kerasVersion: opened.kerasVersion,
    layers: t.layers,
    params: model.countParams(),
    activations: [...acts].sort(),
    notes: t.notes,
  };
}

/** tfjs-layers' reading of a pythonic config: keys and string values to camelCase, names and node references kept. */
const camelCache = new Map<string, string>();
function tfjsCamel(s: string): string {
  if (s.length <= 1 || s.indexOf('_') === -1) return s;
  let c = camelCache.get(s);
  if (c === undefined) {
    c = s.replace(/[_]+(\w|$)/g, (_, ch: string) => ch.toUpperCase());
    // (config keys and values repeat across layers and models; the cache stays small)
    if (camelCache.size < 4096) camelCache.set(s, c);
  }
  return c;
}

function pythonicToTs(v: unknown, key?: string): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return tfjsCamel(v);
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const refs = key === 'inboundNodes' || key === 'inputLayers' || key === 'outputLayers';
    return v.map((item, i) => (refs && i === 0 && typeof item === 'string' ? item : pythonicToTs(item, key)));
  }
  const out: {[k: string]: unknown} = {};
  for (const [k, x] of Object.entries(v as object)) {
    if (k === 'name' && typeof x === 'string') {
      out[k] = x;
    } else {
      const tk = tfjsCamel(k);
      out[tk] = pythonicToTs(x, tk);
    }
  }
  return out;
}

/**
 * Builds the model as tf.loadLayersModel does when weights follow: with fast weight initialisation (zeros
 * instead of running the initializers, whose values the Keras weights replace at once).
 */
function buildModel(topology: {[k: string]: unknown}): LayersModel {
  const entry = (serialization.SerializationMap.getMap().classNameMap as {[k: string]: [unknown, unknown]})['Model'];
  const cls = entry[0] as {fromConfig(c: unknown, cfg: unknown, custom: object, fast: boolean): LayersModel};
  const ts = pythonicToTs(topology) as {config: unknown};
  return cls.fromConfig(cls, ts.config, {}, true);
}

async function importModel(
  source: KerasSource,
  options: LoadKerasModelOptions = {},
): Promise<{model: LayersModel; report: KerasImportReport}> {
  const {bytes, name} = await readSource(source);
  const opened = open(bytes, name);
  const t = translateConfig(opened.config, options.customObjects ?? {}, opened.kerasVersion);
  const model = buildModel(t.topology);
  try {
    setWeights(model, opened.weights(weightlessGroups(t, model)), options.onProgress);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {model, report: report(opened, t, model)};
}

/** Loads a Keras 3 `.keras` archive or a legacy `.h5` model as a tfjs LayersModel. */
export async function loadKerasModel(source: KerasSource, options?: LoadKerasModelOptions): Promise<LayersModel> {
  return (await importModel(source, options)).model;
}

/** The model as tfjs's model.json (layers-model format) and its weight shards, with a report. */
export async function convertKerasModel(
  source: KerasSource,
  options: LoadKerasModelOptions & {shardBytes?: number} = {},
): Promise<{modelJSON: io.ModelJSON; shards: Array<{name: string; data: Uint8Array}>; report: KerasImportReport}> {
  const {model, report: rep} = await importModel(source, options);
  let artifacts: io.ModelArtifacts | undefined;
  try {
    await model.save(
      io.withSaveHandler(async a => {
        artifacts = a;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
      }),
    );
  } finally {
    model.dispose();
  }
  const a = artifacts as io.ModelArtifacts;
  const data = new Uint8Array(io.CompositeArrayBuffer.join(a.weightData as ArrayBuffer));
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  const n = Math.max(1, Math.ceil(data.length / shardBytes));
  const shards = Array.from({length: n}, (_, i) => ({
    name: `group1-shard${i + 1}of${n}.bin`,
    data: data.subarray(i * shardBytes, (i + 1) * shardBytes),
  }));
  const modelJSON: io.ModelJSON = {
    format: 'layers-model',
    generatedBy: `Keras ${rep.kerasVersion} (${rep.format})`,
    convertedBy: 'tfjs-activations convert',
    modelTopology: a.modelTopology as object,
    weightsManifest: [{paths: shards.map(s => s.name), weights: a.weightSpecs ?? []}],
  };
  return {modelJSON, shards, report: rep};
}
