// esbuild's binary loader turns an imported .wasm file into its bytes (scripts/build.mjs, ntk-worker entry).
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
