// esbuild plugin for the Keras import bundles: jsfive's bundled ES module with
// four more exports: its internal binary-unpacking helper `struct`, its
// `DataView64` class, and setters for its record reader `_unpack_struct_from`
// and record size `_structure_size`,
// which src/keras/import/jsfive-struct.ts replace by cached equivalents (same
// values; jsfive's header parsing two to three times as fast). jsfive's own
// code is not changed or copied; if a jsfive release renames any of these,
// the build fails here instead of silently losing the speed-up.
import {readFile} from 'node:fs/promises';

export const jsfiveInternals = {
  name: 'jsfive-internals',
  setup(b) {
    b.onLoad({filter: /[\\/]jsfive[\\/]dist[\\/]esm[\\/]index\.mjs$/}, async a => ({
      contents:
        (await readFile(a.path, 'utf8')) +
        '\nexport {struct as __struct, DataView64 as __DataView64};\n' +
        'export function __setUnpackStructFrom(f) {\n  _unpack_struct_from = f;\n}\n' +
        'export function __setStructureSize(f) {\n  _structure_size = f;\n}\n',
      loader: 'js',
    }));
  },
};
