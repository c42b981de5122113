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
 * (scripts/esbuild-jsfive.mjs) adds `__struct`, `__DataView64` and
 * `__setUnpackStructFrom` exports to the bundled copy of jsfive.
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

interface Compiled {
  littleEndian: boolean;
  size: number;
  /** Per field: repeat count, type code, DataView getter name, byte length. */
  fields: Array<{n: number; code: string; getter: string; bytes: number}>;
}

type UnpackStructFrom = (structure: Map<string, string>, buf: ArrayBuffer, offset?: number) => Map<string, unknown>;

/**
 * Replaces `struct.calcsize` and `struct.unpack_from` of jsfive's module by cached equivalents, and its
 * `_unpack_struct_from` when `setUnpackStructFrom` is given.
 */
export function speedUpJsfiveStruct(
  struct: JsfiveStruct,
  DataView64: new (b: ArrayBuffer, o: number) => DataView,
  setUnpackStructFrom?: (f: UnpackStructFrom) => void,
): void {
  if (struct.tfaFast) return;
  const formats = new Map<string, Compiled>();
  const compile = (fmt: string): Compiled => {
    let c = formats.get(fmt);
    if (c !== undefined) return c;
    const fields: Compiled['fields'] = [];
    let size = 0;
    // the same pattern jsfive matches formats with: characters outside it (the byte-order mark) are skipped
    const re = new RegExp(struct.fmt_size_regex, 'g');
    for (let m = re.exec(fmt); m !== null; m = re.exec(fmt)) {
      const n = parseInt(m[1] || '1', 10);
      const code = m[2];
      const bytes = struct.byte_lengths[code];
      fields.push({n, code, getter: struct.getters[code], bytes});
      size += n * bytes;
    }
    c = {littleEndian: !struct._is_big_endian(fmt), size, fields};
    formats.set(fmt, c);
    return c;
  };
  const views = new WeakMap<ArrayBuffer, View>();
  const decoder = new TextDecoder();
  const unpack = (c: Compiled, buffer: ArrayBuffer, offset: number | undefined): unknown[] => {
    let at = Number(offset || 0);
    let view = views.get(buffer);
    if (view === undefined) {
      view = new DataView64(buffer, 0) as View;
      views.set(buffer, view);
    }
    const out: unknown[] = [];
    for (const f of c.fields) {
      if (f.code === 's') {
        out.push(decoder.decode(buffer.slice(at, at + f.n)));
        at += f.n;
      } else {
        for (let i = 0; i < f.n; i++) {
          out.push(view[f.getter](at, c.littleEndian));
          at += f.bytes;
        }
      }
    }
    return out;
  };
  struct.calcsize = fmt => compile(fmt).size;
  struct.unpack_from = (fmt, buffer, offset) => unpack(compile(fmt), buffer, offset);
  // 'Q' fields (every address and length): the two 32-bit halves combined in double arithmetic, the same
  // correctly rounded Number as jsfive's BigInt arithmetic gives, without making two BigInts per field
  const proto = DataView64.prototype as unknown as {getUint64(o: number, le?: boolean): number};
  proto.getUint64 = function (this: DataView, byteOffset: number, littleEndian?: boolean): number {
    const first = this.getUint32(byteOffset, littleEndian);
    const second = this.getUint32(byteOffset + 4, littleEndian);
    return littleEndian ? second * 4294967296 + first : first * 4294967296 + second;
  };
  if (setUnpackStructFrom !== undefined) {
    // jsfive's records are Maps it never changes once made; a changed size is still noticed
    const layouts = new WeakMap<Map<string, string>, Array<[string, Compiled]>>();
    setUnpackStructFrom((structure, buf, offset = 0) => {
      let layout = layouts.get(structure);
      if (layout === undefined || layout.length !== structure.size) {
        // as jsfive: each field read as '<' + its format, and the offset moved on by the format's size
        layout = Array.from(structure, ([key, fmt]) => [key, compile('<' + fmt)] as [string, Compiled]);
        layouts.set(structure, layout);
      }
      const out = new Map<string, unknown>();
      let at = offset;
      for (const [key, c] of layout) {
        const v = unpack(c, buf, at);
        at += c.size;
        out.set(key, v.length === 1 ? v[0] : v);
      }
      return out;
    });
  }
  struct.tfaFast = true;
}
