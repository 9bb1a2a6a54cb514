// Child process for the workerRpc tests: serves a small contract over the IPC channel (via tsx).
require('tsx/cjs');
const { processPort, serveRpc } = require('../../../src/shared/workerRpc.ts');
const rpc = serveRpc(processPort(process), {
  add: ({ a, b }) => a + b,
  count: async (n) => {
    for (let i = 1; i <= n; i++) rpc.emit({ tick: i });
    return n;
  },
  crash: () => process.exit(7),
});
