/** The Emscripten factory of libpg-query's WASM build (the package ships it without types). */
declare module 'libpg-query/wasm/libpg-query.js' {
  const createPgQueryModule: (options?: object) => Promise<unknown>;
  export default createPgQueryModule;
}
