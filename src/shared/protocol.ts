/**
 * Custom LSP requests and notifications between the extension (client) and the language server.
 * Plain types only (no vscode, no vscode-languageserver imports) so both sides can import this file.
 */
import type { Prediction } from '../model/types';
import type { TrainEvent, TrainRequest } from '../training/protocol';
import type { SourceRange } from '../draft/types';
import type { EvidenceDto } from './evidence';

/** Source ranges travel as the extractor produces them. */
export type RangeDto = SourceRange;

/** Result of classifying one document, as the sidebar shows it. */
export interface DocumentClassification {
  uri: string;
  /** Document version that was classified. */
  version: number;
  status: 'ok' | 'empty' | 'too-large' | 'binary' | 'error';
  /** Human-readable message for every non-ok status, and notes for ok (what is missing). */
  message?: string;
  extracted: {
    title?: string;
    abstract?: string;
    titleRange?: RangeDto;
    abstractRange?: RangeDto;
    usedBodyText: boolean;
    warnings: string[];
  };
  prediction?: Prediction;
  /** p: the model's probability; atMost: p is an upper bound (a category the model folds into "other"). */
  declared: { category: string; p?: number; atMost?: boolean }[];
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

export const Methods = {
  /** request: { uri } -> DocumentClassification | null (classifies now, bypassing debounce). */
  classify: 'arxiv/classify',
  /** notification server->client: DocumentClassification whenever a document's result changes. */
  classificationChanged: 'arxiv/classificationChanged',
  /** request: {} -> ModelInfoDto */
  modelInfo: 'arxiv/modelInfo',
  /** request: { dir: string | null } (null = shipped default) -> ModelInfoDto; hot-swaps the model. */
  selectModel: 'arxiv/selectModel',
  /** request: TrainRequest -> { runId: string } */
  trainStart: 'arxiv/train/start',
  /** notification server->client: { runId, event: TrainEvent } */
  trainEvent: 'arxiv/train/event',
  /** request: { runId } -> { cancelled: boolean } */
  trainCancel: 'arxiv/train/cancel',
  /** request: { uri } -> EvidenceDto | null: the evidence behind the open document's current prediction. */
  evidence: 'arxiv/evidence',
  /** request: { modelDir?: string } -> evaluation report JSON of a bundle (report.json in the bundle). */
  evaluationReport: 'arxiv/evaluationReport',
} as const;

export interface TrainEventMessage {
  runId: string;
  event: TrainEvent;
}
export type { TrainRequest, TrainEvent, Prediction };
