/**
 * A faster `struct` for jsfive, same results. jsfive reads every HDF5 header
 * field through a Python-`struct`-like helper (`struct.unpack_from(fmt, buf,
 * offset)`, `struct.calcsize(fmt)`) that compiles a RegExp, re-parses the
 * format string and makes a new DataView on every call: about half of the
 * time jsfive spends opening EfficientNetB0's weights file. This keeps the
 * helper's meaning and only caches what it recomputes: each format string
 * parsed once, one DataView per buffer, one TextDecoder; and the same for
 * jsfive's `_unpack_struct_from(structure, buf, offset)`, which reads a record
 * (a Map of field name → format) field by field: each record's layout is
 * worked out once.
 *
 * jsfive does not export these; the package's build
 * (scripts/esbuild-jsfive.mjs) adds `__struct`, `__DataView64`,
 * `__setUnpackStructFrom` and `__setStructureSize` exports to the bundled
 * copy of jsfive.
 * Where those are missing (the TypeScript sources run directly, as in the
 * tests) jsfive keeps its own helper and the import gives the same values,
 * only slower.
 */

/** The parts of jsfive's `Struct` instance that are used (field names are jsfive's). */
interface JsfiveStruct {
  getters: {[code: string]: string};
  byte_lengths: {[code: string]: number};
  fmt_size_regex: string;
  _is_big_endian(fmt: string): boolean;
  calcsize(fmt: string): number;
  unpack_from(fmt: string, buffer: ArrayBuffer, offset?: number): unknown[];
  /** Set once the helper is replaced. */
  tfaFast?: boolean;
}

type View = DataView & {[getter: string]: (offset: number, littleEndian: boolean) => unknown};

/** How a field is read: the common DataView getters by number (one `switch`, no keyed lookup), others by name. */
const enum Kind {
  Str,
  I8,
  U8,
  I16,
  U16,
  I32,
  U32,
  F32,
  F64,
  U64,
  ByName,
}
const KINDS: {[getter: string]: Kind} = {
  getInt8: Kind.I8,
  getUint8: Kind.U8,
  getInt16: Kind.I16,
  getUint16: Kind.U16,
  getInt32: Kind.I32,
  getUint32: Kind.U32,
  getFloat32: Kind.F32,
  getFloat64: Kind.F64,
  getUint64: Kind.U64,
};

interface Field {
  /** Repeat count (the string length for 's'). */
  n: number;
  kind: Kind;
  /** DataView getter name (for Kind.ByName). */
  getter: string;
  bytes: number;
}

interface Compiled {
  littleEndian: boolean;
  size: number;
  fields: Field[];
  /** The one field when the format is a single value (not a string): read without an array. */
  single: Field | null;
}

type UnpackStructFrom = (structure: Map<string, string>, buf: ArrayBuffer, offset?: number) => Map<string, unknown>;

/** One value of a field at `at` (Kind.Str excluded). */
function read(view: View, f: Field, at: number, le: boolean): unknown {
  switch (f.kind) {
    case Kind.I8:
      return view.getInt8(at);
    case Kind.U8:
      return view.getUint8(at);
    case Kind.I16:
      return view.getInt16(at, le);
    case Kind.U16:
      return view.getUint16(at, le);
    case Kind.I32:
      return view.getInt32(at, le);
    case Kind.U32:
      return view.getUint32(at, le);
    case Kind.F32:
      return view.getFloat32(at, le);
    case Kind.F64:
      return view.getFloat64(at, le);
    case Kind.U64: {
      // every address and length: the two 32-bit halves combined in double arithmetic, the same correctly
      // rounded Number as jsfive's BigInt arithmetic gives, without making two BigInts per field
      const first = view.getUint32(at, le);
      const second = view.getUint32(at + 4, le);
      return le ? second * 4294967296 + first : first * 4294967296 + second;
    }
    default:
      return view[f.getter](at, le);
  }
}

/**
 * Replaces `struct.calcsize` and `struct.unpack_from` of jsfive's module by cached equivalents, and its
 * `_unpack_struct_from` and `_structure_size` when their setters are given.
 */
export function speedUpJsfiveStruct(
  struct: JsfiveStruct,
  DataView64: new (b: ArrayBuffer, o: number) => DataView,
  setUnpackStructFrom?: (f: UnpackStructFrom) => void,
  setStructureSize?: (f: (structure: Map<string, string>) => number) => void,
): void {
  if (struct.tfaFast) return;
  const formats = new Map<string, Compiled>();
  const compile = (fmt: string): Compiled => {
    let c = formats.get(fmt);
    if (c !== undefined) return c;
    const fields: Field[] = [];
    let size = 0;
    // the same pattern jsfive matches formats with: characters outside it (the byte-order mark) are skipped
    const re = new RegExp(struct.fmt_size_regex, 'g');
    for (let m = re.exec(fmt); m !== null; m = re.exec(fmt)) {
      const n = parseInt(m[1] || '1', 10);
      const code = m[2];
      const getter = struct.getters[code];
      const kind = code === 's' ? Kind.Str : (KINDS[getter] ?? Kind.ByName);
      const bytes = struct.byte_lengths[code];
      fields.push({n, kind, getter, bytes});
      size += n * bytes;
    }
    const single = fields.length === 1 && fields[0].n === 1 && fields[0].kind !== Kind.Str ? fields[0] : null;
    c = {littleEndian: !struct._is_big_endian(fmt), size, fields, single};
    formats.set(fmt, c);
    return c;
  };
  // one DataView per buffer; the last one used is kept at hand (jsfive reads one file for a long while)
  const views = new WeakMap<ArrayBuffer, View>();
  let lastBuffer: ArrayBuffer | null = null;
  let lastView: View | null = null;
  const viewOf = (buffer: ArrayBuffer): View => {
    if (buffer === lastBuffer) return lastView as View;
    let view = views.get(buffer);
    if (view === undefined) {
      view = new DataView64(buffer, 0) as View;
      views.set(buffer, view);
    }
    lastBuffer = buffer;
    lastView = view;
    return view;
  };
  const decoder = new TextDecoder();
  const unpack = (c: Compiled, buffer: ArrayBuffer, offset: number | undefined): unknown[] => {
    let at = Number(offset || 0);
    const view = viewOf(buffer);
    const out: unknown[] = [];
    for (const f of c.fields) {
      if (f.kind === Kind.Str) {
        // a view where it fits (as jsfive's slice, which clamps, otherwise)
        const end = at + f.n;
        out.push(decoder.decode(end <= buffer.byteLength ? new Uint8Array(buffer, at, f.n) : buffer.slice(at, end)));
        at += f.n;
      } else {
        for (let i = 0; i < f.n; i++) {
          out.push(read(view, f, at, c.littleEndian));
          at += f.bytes;
        }
      }
    }
    return out;
  };
  struct.calcsize = fmt => compile(fmt).size;
  struct.unpack_from = (fmt, buffer, offset) => unpack(compile(fmt), buffer, offset);
  // jsfive's own reads of 'Q' fields (outside `struct`) get the same fast path
  const proto = DataView64.prototype as unknown as {getUint64(o: number, le?: boolean): number};
  const u64: Field = {n: 1, kind: Kind.U64, getter: 'getUint64', bytes: 8};
  proto.getUint64 = function (this: DataView, byteOffset: number, littleEndian?: boolean): number {
    return read(this as View, u64, byteOffset, littleEndian === true) as number;
  };
  if (setUnpackStructFrom !== undefined) {
    // jsfive's records are Maps it never changes once made; a changed size is still noticed. Some records are
    // made anew for each object (a class field, as the B-tree node header): those are found by their fields.
    type Layout = Array<[string, Compiled]> & {size?: number};
    const layouts = new WeakMap<Map<string, string>, Layout>();
    const byFields = new Map<string, Layout>();
    const layoutOf = (structure: Map<string, string>): Layout => {
      let signature = '';
      for (const [key, fmt] of structure) signature += key + '\0' + fmt + '\0';
      let layout = byFields.get(signature);
      if (layout === undefined) {
        // as jsfive: each field read as '<' + its format, and the offset moved on by the format's size
        layout = Array.from(structure, ([key, fmt]) => [key, compile('<' + fmt)] as [string, Compiled]) as Layout;
        // jsfive's `_structure_size`: the size of all formats joined behind one '<'
        layout.size = compile('<' + Array.from(structure.values()).join('')).size;
        byFields.set(signature, layout);
      }
      layouts.set(structure, layout);
      return layout;
    };
    const known = (structure: Map<string, string>): Layout => {
      const layout = layouts.get(structure);
      return layout === undefined || layout.length !== structure.size ? layoutOf(structure) : layout;
    };
    setStructureSize?.(structure => known(structure).size as number);
    setUnpackStructFrom((structure, buf, offset = 0) => {
      const layout = known(structure);
      const out = new Map<string, unknown>();
      let at = offset;
      const view = viewOf(buf);
      for (const [key, c] of layout) {
        if (c.single !== null) {
          out.set(key, read(view, c.single, at, c.littleEndian));
        } else {
          const v = unpack(c, buf, at);
          out.set(key, v.length === 1 ? v[0] : v);
        }
        at += c.size;
      }
      return out;
    });
  }
  struct.tfaFast = true;
}
