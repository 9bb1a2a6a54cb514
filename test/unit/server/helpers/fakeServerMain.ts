/**
 * Entry for a language server process that runs the real wiring (src/server/languageServer.ts) and the real
 * draft extractor (in the real draft worker pool) with TEST DOUBLES for the classifier and the training runner, so tests can aim at exact
 * probabilities and timings. Started by the tests with `node --import tsx fakeServerMain.ts --node-ipc`.
 */
import '../../../../src/server/consoleToStderr';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import * as path from 'node:path';
import { installProcessGuards, runServer } from '../../../../src/server/languageServer';
import { loadFakeClassifier } from './fakeClassifier';
import { fakeStartTraining } from './fakeTraining';

const connection = createConnection(ProposedFeatures.all);
installProcessGuards((m) => connection.console.error(m));
runServer(connection, {
  // The real draft worker loop, with a test-only hook that can make one draft spin (see slowDraftWorker.cjs).
  draftWorkerScript: path.join(__dirname, 'slowDraftWorker.cjs'),
  loadClassifier: loadFakeClassifier,
  defaultModelDir: () => '/nonexistent/default-model',
  startTraining: fakeStartTraining,
});
