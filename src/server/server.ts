/**
 * Language server entry, bundled to dist/server.js. The extension starts it with vscode-languageclient over
 * Node IPC (`--node-ipc`); `node dist/server.js --stdio` works too. See languageServer.ts for the protocol.
 */
import './consoleToStderr';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { extractDraft } from '../draft/extract';
import { defaultModelDir, loadClassifier } from '../model/classifier';
import { startTraining } from '../training/runner';
import { installProcessGuards, runServer } from './languageServer';

const connection = createConnection(ProposedFeatures.all);
installProcessGuards((message) => connection.console.error(message));
runServer(connection, { extractDraft, loadClassifier, defaultModelDir, startTraining });
