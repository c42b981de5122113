/**
 * Reading a Keras file: the bytes from wherever they are, the `.keras` zip
 * (fflate) and HDF5 (jsfive). Nothing here parses zip or HDF5 by hand; the
 * only shortcut is reading a contiguous little-endian float32 dataset as one
 * typed-array copy at the address jsfive found, instead of jsfive's
 * element-by-element JS array.
 */
import {unzipSync} from 'fflate';
import * as hdf5 from 'jsfive';
import {speedUpJsfiveStruct} from './jsfive-struct';

const jsfiveInternals = hdf5 as unknown as {
  __struct?: Parameters<typeof speedUpJsfiveStruct>[0];
  __DataView64?: Parameters<typeof speedUpJsfiveStruct>[1];
  __setUnpackStructFrom?: Parameters<typeof speedUpJsfiveStruct>[2];
  __setStructureSize?: Parameters<typeof speedUpJsfiveStruct>[3];
};
if (jsfiveInternals.__struct !== undefined && jsfiveInternals.__DataView64 !== undefined) {
  speedUpJsfiveStruct(
    jsfiveInternals.__struct,
    jsfiveInternals.__DataView64,
    jsfiveInternals.__setUnpackStructFrom,
    jsfiveInternals.__setStructureSize,
  );
}

/** Whether jsfive runs with the cached struct helper (the built bundles; see jsfive-struct.ts). */
export function jsfiveStructCached(): boolean {
  return jsfiveInternals.__struct?.tfaFast === true;
}

/** What loadKerasModel accepts. */
export type KerasSource = Uint8Array | ArrayBuffer | ArrayBufferView | Blob | string | URL;

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

declare const process: {versions?: {node?: string}} | undefined;

function isNode(): boolean {
  return typeof process !== 'undefined' && !!(process.versions && process.versions.node);
}

/** The source's bytes, with a name for messages. */
export async function readSource(source: KerasSource): Promise<{bytes: Uint8Array; name: string}> {
  if (source instanceof Uint8Array) return {bytes: source, name: 'bytes'};
  if (source instanceof ArrayBuffer) return {bytes: new Uint8Array(source), name: 'bytes'};
  if (ArrayBuffer.isView(source)) {
    return {bytes: new Uint8Array(source.buffer, source.byteOffset, source.byteLength), name: 'bytes'};
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as {name?: string}).name ?? 'blob';
    return {bytes: new Uint8Array(await source.arrayBuffer()), name};
  }
  const s = typeof source === 'string' ? source : source instanceof URL ? source.href : undefined;
  if (s === undefined) {
    throw new Error(
      'loadKerasModel: source must be a Uint8Array, ArrayBuffer, Blob/File, http(s):// URL, ' +
        'file:// URL or (in Node) a file path',
    );
  }
  // in a page a relative URL is relative to the document, as for fetch()
  const href = !isNode() && typeof location !== 'undefined' ? new URL(s, location.href).href : s;
  if (/^https?:\/\//i.test(href)) {
    const res = await fetch(href);
    if (!res.ok) throw new Error(`loadKerasModel: fetching ${href} failed: ${res.status} ${res.statusText}`);
    return {bytes: new Uint8Array(await res.arrayBuffer()), name: href};
  }
  if (!isNode()) {
    throw new Error(`loadKerasModel: '${s}' is not an http(s):// URL; in a page pass a URL, a File/Blob or the bytes`);
  }
  const fsName = 'node:fs/promises',
    urlName = 'node:url';
  const fs = (await import(/* webpackIgnore: true */ fsName)) as {readFile(p: string): Promise<Uint8Array>};
  let path = s;
  if (/^file:\/\//i.test(s)) {
    const url = (await import(/* webpackIgnore: true */ urlName)) as {fileURLToPath(u: string): string};
    path = url.fileURLToPath(s);
  }
  const buf = await fs.readFile(path);
  return {bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), name: path};
}

export type FileKind = 'keras' | 'h5';

export function fileKind(bytes: Uint8Array, name: string): FileKind {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'keras';
  // HDF5's signature sits at 0, 512, 1024, ... (after an optional user block)
  for (let off = 0; off + 8 <= bytes.length && off <= 1 << 16; off = off === 0 ? 512 : off * 2) {
    if (HDF5_MAGIC.every((b, i) => bytes[off + i] === b)) return 'h5';
  }
  throw new Error(
    `loadKerasModel: ${name} is neither a Keras 3 '.keras' archive (a zip) nor an HDF5 '.h5' file ` +
      `(first bytes ${Array.from(bytes.subarray(0, 8))
        .map(b => b.toString(16).padStart(2, '0'))
        .join(' ')})`,
  );
}

/** The entries of a `.keras` archive; the weights file is unpacked only when asked for. */
export class KerasArchive {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
  ) {}

  /**
   * One entry's bytes, in a fresh buffer starting at 0 (as jsfive needs). fflate finds the entry through the
   * archive's central directory and unpacks only that one; a stored entry (Keras stores the weights
   * uncompressed) is one copy.
   */
  private entry(file: string): Uint8Array {
    let files: {[name: string]: Uint8Array};
    try {
      files = unzipSync(this.bytes, {filter: f => f.name === file});
    } catch (e) {
      throw new Error(`loadKerasModel: ${this.name} is not a readable zip archive (${(e as Error).message})`);
    }
    const data = files[file];
    if (data === undefined) throw new Error(`loadKerasModel: ${this.name} has no '${file}' (not a Keras 3 archive?)`);
    return data;
  }

  json(file: string): unknown {
    const text = new TextDecoder().decode(this.entry(file));
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`loadKerasModel: ${this.name}: ${file} is not valid JSON (${(e as Error).message})`);
    }
  }

  weights(): H5 {
    return new H5(this.entry('model.weights.h5'), `${this.name}:model.weights.h5`);
  }
}

interface JsfiveDataset {
  shape: number[];
  dtype: string | unknown[];
  value: ArrayLike<number>;
  attrs: Record<string, unknown>;
  _dataobjects?: {
    fh: ArrayBuffer;
    find_msg_type(t: number): Array<Map<string, number>>;
    _get_data_message_properties(offset: number): [number, number, number, number];
  };
}
interface JsfiveGroup {
  name: string;
  keys: string[];
  attrs: Record<string, unknown>;
  get(path: string): JsfiveGroup | JsfiveDataset | null;
  /** Child name → object header address (or a soft link's path). */
  _links?: {[name: string]: number | string};
  _dataobjects?: {fh: ArrayBuffer; constructor: new (fh: ArrayBuffer, address: number) => {is_dataset: boolean}};
}
type JsfiveObjectClass<T> = new (name: string, dataobjects: unknown, parent: JsfiveGroup) => T;
const jsfiveClasses = hdf5 as unknown as {
  Group?: JsfiveObjectClass<JsfiveGroup>;
  Dataset?: JsfiveObjectClass<JsfiveDataset>;
};

const DATA_STORAGE_MSG_TYPE = 0x0008;

/** An HDF5 file read with jsfive. */
export class H5 {
  private readonly file: JsfiveGroup;
  constructor(
    bytes: Uint8Array,
    readonly name: string,
  ) {
    const buf =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
    try {
      this.file = new (hdf5 as unknown as {File: new (b: ArrayBuffer, n: string) => JsfiveGroup}).File(buf, name);
    } catch (e) {
      throw new Error(`loadKerasModel: ${name} is not a readable HDF5 file (${String((e as Error).message ?? e)})`);
    }
  }

  /**
   * The object at `path`, or null. Objects are cached by path and reached one level at a time: jsfive's
   * `get('a/b/c')` builds every group on the way again (parsing its links) on each call.
   */
  private readonly objects = new Map<string, JsfiveGroup | JsfiveDataset | null>();
  private readonly globalHeaps = {};
  private readonly childNames = new Map<string, Set<string>>();
  private node(path: string): JsfiveGroup | JsfiveDataset | null {
    if (path === '') return this.file;
    const hit = this.objects.get(path);
    if (hit !== undefined) return hit;
    const cut = path.lastIndexOf('/');
    const parentPath = cut < 0 ? '' : path.slice(0, cut);
    const parent = this.node(parentPath);
    let obj: JsfiveGroup | JsfiveDataset | null = null;
    if (parent !== null && 'keys' in parent) {
      // (jsfive's `keys` is a fresh copy of the list on each read)
      let names = this.childNames.get(parentPath);
      if (names === undefined) this.childNames.set(parentPath, (names = new Set(parent.keys)));
      const child = path.slice(cut + 1);
      if (names.has(child)) obj = this.child(parent as JsfiveGroup, child);
    }
    // jsfive caches the parsed global heap (where variable-length strings such as the `name` attributes live)
    // per object, and re-parses the whole collection for each: share one cache (about 0.4 s on EfficientNetB0)
    const dobj = (obj as {_dataobjects?: {_global_heaps?: object}} | null)?._dataobjects;
    if (dobj !== undefined && typeof dobj._global_heaps === 'object') dobj._global_heaps = this.globalHeaps;
    this.objects.set(path, obj);
    return obj;
  }

  /**
   * A group's child by its name: what jsfive's `group.get(name)` returns, made directly from the link's address
   * (jsfive's `get` first normalises the name as a path with regular expressions, about a tenth of the time
   * spent opening a weights file); soft links and anything unexpected go through `get`.
   */
  private child(parent: JsfiveGroup, name: string): JsfiveGroup | JsfiveDataset | null {
    const address = parent._links?.[name];
    const DataObjects = parent._dataobjects?.constructor;
    const {Group, Dataset} = jsfiveClasses;
    if (typeof address !== 'number' || DataObjects === undefined || Group === undefined || Dataset === undefined) {
      return parent.get(name);
    }
    const objects = new DataObjects(parent._dataobjects!.fh, address);
    const full = `${parent.name === '/' ? '' : parent.name}/${name}`;
    return objects.is_dataset ? new Dataset(full, objects, parent) : new Group(full, objects, parent);
  }

  attrs(path = ''): Record<string, unknown> {
    const g = this.node(path);
    return g === null ? {} : g.attrs;
  }

  has(path: string): boolean {
    return this.node(path) !== null;
  }

  /** Child names of a group (sorted as HDF5 lists them), or [] when absent. */
  keys(path: string): string[] {
    const g = this.node(path);
    if (g == null || !('keys' in g)) return [];
    return (g as JsfiveGroup).keys;
  }

  /** A dataset as float32 values with its shape. */
  dataset(path: string): {shape: number[]; values: Float32Array} {
    const d = this.node(path) as JsfiveDataset | null;
    if (d == null || !('shape' in d)) throw new Error(`loadKerasModel: ${this.name} has no dataset '${path}'`);
    const shape = [...d.shape];
    const n = shape.reduce((a, b) => a * b, 1);
    const fast = d.dtype === '<f4' ? contiguousFloat32(d, n) : null;
    if (fast !== null) return {shape, values: fast};
    const v = d.value;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = Number(v[i]);
    return {shape, values};
  }
}

/** A contiguous little-endian float32 dataset copied in one go, or null when stored otherwise. */
function contiguousFloat32(d: JsfiveDataset, n: number): Float32Array | null {
  const o = d._dataobjects;
  if (o === undefined || typeof o.find_msg_type !== 'function') return null;
  try {
    const msg = o.find_msg_type(DATA_STORAGE_MSG_TYPE)[0];
    const [version, , layoutClass, propertyOffset] = o._get_data_message_properties(
      msg.get('offset_to_message') as number,
    );
    if (layoutClass !== 1 || version < 3) return null;
    const view = new DataView(o.fh);
    const address = Number(view.getBigUint64(propertyOffset, true));
    if (n === 0) return new Float32Array(0);
    if (address + 4 * n > o.fh.byteLength) return null;
    // a view when aligned (the tensors then read the file's bytes in place), else a copy
    return address % 4 === 0
      ? new Float32Array(o.fh, address, n)
      : new Float32Array(o.fh.slice(address, address + 4 * n));
  } catch {
    return null;
  }
}
