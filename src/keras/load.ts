/**
 * `loadKerasModel` and `convertKerasModel` as the package exports them: the
 * import code (zip, HDF5, config translation) is a separate file loaded on
 * the first call. In Node and with bundlers that is a dynamic import; the
 * script-tag bundle loads `tfjs-activations-keras.min.js` from next to its
 * own file.
 */
import type * as Impl from './import/index';
import type {LayersModel} from '@tensorflow/tfjs-layers';

export type {CustomObject, KerasImportReport, KerasSource, LoadKerasModelOptions} from './import/index';

declare const __TFA_KERAS_SCRIPT__: string | undefined;

/** Where the script-tag bundle was loaded from (read while it runs, as currentScript is only set then). */
const scriptBase: string | undefined =
  typeof __TFA_KERAS_SCRIPT__ !== 'undefined' &&
  typeof document !== 'undefined' &&
  document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined;

let impl: Promise<typeof Impl> | undefined;

function loadScript(): Promise<typeof Impl> {
  const g = globalThis as unknown as {tfaKeras?: typeof Impl};
  if (g.tfaKeras) return Promise.resolve(g.tfaKeras);
  const src = new URL(__TFA_KERAS_SCRIPT__ as string, scriptBase ?? document.baseURI).href;
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () =>
      g.tfaKeras ? resolve(g.tfaKeras) : reject(new Error(`loadKerasModel: ${src} did not define tfaKeras`));
    s.onerror = () => reject(new Error(`loadKerasModel: could not load the import code from ${src}`));
    document.head.appendChild(s);
  });
}

function implementation(): Promise<typeof Impl> {
  if (impl === undefined) {
    impl =
      typeof __TFA_KERAS_SCRIPT__ !== 'undefined'
        ? loadScript()
        : // a CommonJS build's module arrives as the namespace's default export when imported dynamically
          import('./import/index').then(m =>
            'loadKerasModel' in m ? m : (m as unknown as {default: typeof Impl}).default,
          );
    impl.catch(() => {
      impl = undefined;
    });
  }
  return impl;
}

/**
 * Loads a Keras 3 model (`.keras` archive, or a legacy `.h5` full-model file)
 * as a tfjs-layers model. `source`: bytes (`Uint8Array`/`ArrayBuffer`), a
 * `Blob`/`File`, an `http(s)://` URL, or in Node a path or `file://` URL.
 */
export async function loadKerasModel(
  source: Impl.KerasSource,
  options?: Impl.LoadKerasModelOptions,
): Promise<LayersModel> {
  return (await implementation()).loadKerasModel(source, options);
}

/** The model as tfjs's model.json and weight shards (what `tfjs-activations convert` writes), with a report. */
export async function convertKerasModel(
  source: Impl.KerasSource,
  options?: Impl.LoadKerasModelOptions & {shardBytes?: number},
): ReturnType<typeof Impl.convertKerasModel> {
  return (await implementation()).convertKerasModel(source, options);
}
