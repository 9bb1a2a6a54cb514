// Node 20 has the WebAssembly global, but @types/node (20 and 22) does not declare it: it came from the DOM
// lib, which the Node-side tsconfig no longer loads. Declares only what attentionWasm.ts uses.
declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
