// vscode-languageserver 10 and its protocol/jsonrpc packages publish their entry points only through
// package.json "exports", which the project's `moduleResolution: "node"` ignores. These declarations map
// the entry points to their typings for tsc only (esbuild and Node resolve the real ones). They become
// redundant (and can be deleted) once tsconfig uses "bundler" or "node16" resolution.
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
