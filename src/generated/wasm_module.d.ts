// Types of wasm_module.js, which scripts/build-wasm.mjs generates next to this file from the
// definitions' `wasm` bodies (not committed: `npm run build`, run by `npm test`, writes it).
/** Hash of the C source and flags the binary was built from. */
export declare const WASM_SOURCE_HASH: string;
/** The package's WebAssembly SIMD module, base64. */
export declare const WASM_BASE64: string;
