/**
 * The contract between the extension (client) and the language server: every custom request and
 * notification with its parameter, result and error-data types. Both sides import these descriptors
 * (`connection.onRequest(Requests.x, …)`, `client.sendRequest(Requests.x, …)`), so a change to a type
 * is a compile error on the other side. No vscode and no vscode-languageserver imports: only the
 * protocol package, which both sides share.
 *
 * Adding a request: declare its params/result types here, add an entry to `Requests` (or
 * `Notifications`), handle it in src/server/languageServer.ts, and expose it in src/extension/serverApi.ts.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Prediction } from '../model/types';
import type { TrainEvent, TrainRequest } from '../training/protocol';
import type { SourceRange } from '../draft/types';
import type { SubmissionPreflight } from './preflight';
import type { EvidenceDto } from './evidence';

/**
 * initializationOptions: where things are, not settings (settings are pulled with workspace/configuration).
 * Both optional: a plain LSP client (Neovim, Helix, Emacs) sends none and gets the model next to the server.
 */
export interface InitializationOptions {
  /** The shipped model bundle. */
  defaultModelDir?: string;
  /** Where Train Model writes bundles when a request names no folder. */
  trainingDir?: string;
  /**
   * VS Code's workspace trust. Only the extension says so: never read from the settings section, which a
   * workspace's own .vscode/settings.json can fill. Absent: untrusted.
   */
  workspaceTrusted?: boolean;
}

/** Source ranges travel as the extractor produces them. */
export type RangeDto = SourceRange;

/** Result of classifying one document, as the sidebar shows it. */
export interface DocumentClassification {
  uri: string;
  /** Document version that was classified. */
  version: number;
  /** 'timeout': the draft could not be read within its time budget (arxivClassifier.extractionTimeoutMs). */
  status: 'ok' | 'empty' | 'too-large' | 'binary' | 'error' | 'timeout';
  /** Human-readable message for every non-ok status, and notes for ok (what is missing). */
  message?: string;
  extracted: {
    /** What the model read (math as TeX source, the form it was trained on). */
    title?: string;
    abstract?: string;
    /** The same text for people: math and symbol macros rendered as Unicode (CP-odd, 10²–10⁶ M⊙). */
    titleDisplay?: string;
    abstractDisplay?: string;
    titleRange?: RangeDto;
    abstractRange?: RangeDto;
    usedBodyText: boolean;
    warnings: string[];
  };
  prediction?: Prediction;
  /** p: the model's probability; atMost: p is an upper bound (a category the model folds into "other"). */
  declared: { category: string; p?: number; atMost?: boolean }[];
  /** Submission preflight (arXiv's metadata rules, the category set, cited arXiv papers); status ok only. */
  preflight?: SubmissionPreflight;
  elapsedMs: number;
  /** Words behind the prediction; arrives in a second notification after the prediction (same version). */
  evidence?: EvidenceDto;
}

export interface ModelInfoDto {
  name: string;
  dir: string;
  kind: string;
  encoder: string;
  labels: number;
  metrics: Record<string, number | string | undefined>;
}

/** Pushed by the server after every model load attempt (initial load, Select Model, settings, training). */
export interface ModelChangedParams {
  /** The model in use now; null when none could be loaded. */
  model: ModelInfoDto | null;
  /** Why the last load failed (the previous model, if any, stays in use); absent after a successful load. */
  error?: string;
}

export interface ClassifyParams {
  uri: string;
}
export interface SelectModelParams {
  /** A bundle folder, or null for the shipped default. */
  dir: string | null;
}
export interface TrainStartResult {
  runId: string;
}
export interface TrainCancelParams {
  runId: string;
}
export interface TrainCancelResult {
  cancelled: boolean;
}
export interface EvaluationReportParams {
  /** Bundle folder; default: the loaded model's. */
  modelDir?: string;
}
export interface TrainEventMessage {
  runId: string;
  event: TrainEvent;
}

/**
 * Machine-readable reasons a request failed, carried as `ResponseError.data` next to the human message.
 * The client decides on `data.code`, never on the message text. Extend the union for new failure kinds.
 */
export type ArxivErrorCode =
  /** No model is loaded (every load failed). */
  | 'noModel'
  /** The requested bundle could not be loaded; `stillUsing` names the model that stays in use, if any. */
  | 'modelLoadFailed';

export interface ArxivErrorData {
  code: ArxivErrorCode;
  /** The folder the request was about. */
  dir?: string;
  /** Name of the model still in use after a failed load. */
  stillUsing?: string;
}

/** Narrows the `data` of a ResponseError (or anything else) to ArxivErrorData. */
export function arxivErrorData(e: unknown): ArxivErrorData | undefined {
  const data = typeof e === 'object' && e !== null ? (e as { data?: unknown }).data : undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { code?: unknown }).code;
  return code === 'noModel' || code === 'modelLoadFailed' ? (data as ArxivErrorData) : undefined;
}

/** Requests from the extension to the server. */
export const Requests = {
  /** Classifies now (bypassing the debounce); null when the document is neither open nor readable. */
  classify: new RequestType<ClassifyParams, DocumentClassification | null, void>('arxiv/classify'),
  /** The loaded model; fails with code noModel when none could be loaded. */
  modelInfo: new RequestType<Record<string, never>, ModelInfoDto, ArxivErrorData>('arxiv/modelInfo'),
  /** Hot-swaps the model; fails with code modelLoadFailed (the previous model stays in use). */
  selectModel: new RequestType<SelectModelParams, ModelInfoDto, ArxivErrorData>('arxiv/selectModel'),
  trainStart: new RequestType<TrainRequest, TrainStartResult, void>('arxiv/train/start'),
  trainCancel: new RequestType<TrainCancelParams, TrainCancelResult, void>('arxiv/train/cancel'),
  /** The evidence behind an open document's current prediction; null when it is not open or not classified. */
  evidence: new RequestType<ClassifyParams, EvidenceDto | null, void>('arxiv/evidence'),
  /** The evaluation report (report.json) of a bundle, as written by training. */
  evaluationReport: new RequestType<EvaluationReportParams, unknown, ArxivErrorData>('arxiv/evaluationReport'),
} as const;

/** Notifications from the server to the extension. */
export const Notifications = {
  /** A document's result changed (debounced classification after edits, model swaps). */
  classificationChanged: new NotificationType<DocumentClassification>('arxiv/classificationChanged'),
  /** Progress and the end of a training run. */
  trainEvent: new NotificationType<TrainEventMessage>('arxiv/train/event'),
  /** The model host finished a load attempt. */
  modelChanged: new NotificationType<ModelChangedParams>('arxiv/modelChanged'),
} as const;

export type { TrainRequest, TrainEvent, Prediction };
