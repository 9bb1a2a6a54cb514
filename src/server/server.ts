/**
 * Language server entry, bundled to dist/server.js. The extension starts it with vscode-languageclient over
 * Node IPC (`--node-ipc`); `node dist/server.js --stdio` works too. See languageServer.ts for the protocol.
 * The same bundle runs the model worker threads (classifierWorker.ts).
 */
import './consoleToStderr';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import * as path from 'node:path';
import { defaultModelDir, loadClassifier } from '../model/classifier';
import { startTraining } from '../training/runner';
import { isClassifierWorker, runClassifierWorker, WorkerClassifier } from './classifierWorker';
import { installProcessGuards, runServer } from './languageServer';

if (isClassifierWorker()) {
  runClassifierWorker(loadClassifier);
} else {
  const connection = createConnection(ProposedFeatures.all);
  installProcessGuards((message) => connection.console.error(message));
  // ARXIV_CLASSIFIER_IN_PROCESS=1 keeps the model and draft reading on the main thread (for profiling/debugging).
  const inProcess = process.env.ARXIV_CLASSIFIER_IN_PROCESS === '1';
  runServer(connection, {
    // Drafts are read in worker threads (dist/draftWorker.js, built beside this bundle) with a time budget.
    draftWorkerScript: inProcess ? undefined : path.join(__dirname, 'draftWorker.js'),
    loadClassifier: inProcess ? loadClassifier : (dir) => WorkerClassifier.load(__filename, dir),
    defaultModelDir,
    startTraining,
  });
}
