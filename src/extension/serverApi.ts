/**
 * The language server as the extension's commands see it: one typed method per request and one event per
 * notification, built once around the LanguageClient. Commands never touch the client or method names;
 * parameter and result types come from the descriptors in shared/protocol, so nothing is cast.
 * Notifications are validated here (the server is another process: trust its shape only after checking).
 */
import * as vscode from 'vscode';
import { State, type LanguageClient, type NotificationType } from 'vscode-languageclient/node';
import {
  Notifications,
  Requests,
  type DocumentClassification,
  type ModelChangedParams,
  type ModelInfoDto,
  type TrainCancelResult,
  type TrainEventMessage,
  type TrainRequest,
  type TrainStartResult,
} from '../shared/protocol';
import type { EvidenceDto } from '../shared/evidence';

export interface ServerApi extends vscode.Disposable {
  classify(uri: string): Promise<DocumentClassification | null>;
  /** Rejects with a ResponseError whose data code is 'noModel' when no model is loaded. */
  modelInfo(): Promise<ModelInfoDto>;
  /** Rejects with a ResponseError whose data code is 'modelLoadFailed' (the previous model stays). */
  selectModel(dir: string | null): Promise<ModelInfoDto>;
  startTraining(request: TrainRequest): Promise<TrainStartResult>;
  cancelTraining(runId: string): Promise<TrainCancelResult>;
  /** The parsed report.json of a bundle (default: the loaded model's). */
  evaluationReport(modelDir?: string): Promise<unknown>;
  /** The evidence behind an open document's current prediction (it also arrives with classificationChanged). */
  evidence(uri: string): Promise<EvidenceDto | null>;
  readonly onClassificationChanged: vscode.Event<DocumentClassification>;
  readonly onTrainEvent: vscode.Event<TrainEventMessage>;
  readonly onModelChanged: vscode.Event<ModelChangedParams>;
  /** Fires when the server leaves the running state (stopped, crashed, restarting). */
  readonly onDidStop: vscode.Event<void>;
  /** Name and version the running server announced in its initialize result. */
  serverInfo(): { name: string; version?: string } | undefined;
}

export function createServerApi(client: LanguageClient, log: (message: string) => void): ServerApi {
  const classificationChanged = new vscode.EventEmitter<DocumentClassification>();
  const trainEvent = new vscode.EventEmitter<TrainEventMessage>();
  const modelChanged = new vscode.EventEmitter<ModelChangedParams>();
  const didStop = new vscode.EventEmitter<void>();

  // The client keeps one handler per method, so each notification is fanned out through an event.
  const listen = <P>(type: NotificationType<P>, valid: (v: unknown) => v is P, emitter: vscode.EventEmitter<P>): vscode.Disposable =>
    client.onNotification(type, (params: unknown) => {
      if (valid(params)) emitter.fire(params);
      else log(`Ignored a malformed ${type.method} notification.`);
    });

  const disposables: vscode.Disposable[] = [
    classificationChanged,
    trainEvent,
    modelChanged,
    didStop,
    listen(Notifications.classificationChanged, isClassification, classificationChanged),
    listen(Notifications.trainEvent, isTrainEventMessage, trainEvent),
    listen(Notifications.modelChanged, isModelChanged, modelChanged),
    client.onDidChangeState((e) => {
      if (e.oldState === State.Running && e.newState !== State.Running) didStop.fire();
    }),
  ];

  return {
    classify: (uri) => client.sendRequest(Requests.classify, { uri }),
    modelInfo: () => client.sendRequest(Requests.modelInfo, {}),
    selectModel: (dir) => client.sendRequest(Requests.selectModel, { dir }),
    startTraining: (req) => client.sendRequest(Requests.trainStart, req),
    cancelTraining: (runId) => client.sendRequest(Requests.trainCancel, { runId }),
    evaluationReport: (modelDir) => client.sendRequest(Requests.evaluationReport, modelDir ? { modelDir } : {}),
    evidence: (uri) => client.sendRequest(Requests.evidence, { uri }),
    onClassificationChanged: classificationChanged.event,
    onTrainEvent: trainEvent.event,
    onModelChanged: modelChanged.event,
    onDidStop: didStop.event,
    serverInfo: () => client.initializeResult?.serverInfo,
    dispose: () => disposables.forEach((d) => d.dispose()),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isClassification(v: unknown): v is DocumentClassification {
  return isRecord(v) && typeof v.uri === 'string' && typeof v.version === 'number' && typeof v.status === 'string' && isRecord(v.extracted);
}

function isTrainEventMessage(v: unknown): v is TrainEventMessage {
  return isRecord(v) && typeof v.runId === 'string' && isRecord(v.event) && typeof v.event.type === 'string';
}

function isModelInfo(v: unknown): v is ModelInfoDto {
  return isRecord(v) && typeof v.name === 'string' && typeof v.dir === 'string' && typeof v.labels === 'number' && isRecord(v.metrics);
}

function isModelChanged(v: unknown): v is ModelChangedParams {
  return isRecord(v) && (v.model === null || isModelInfo(v.model)) && (v.error === undefined || typeof v.error === 'string');
}
