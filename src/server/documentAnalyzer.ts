/**
 * Extraction + classification + cache for one document snapshot. No LSP types here, so it is unit-testable
 * with plain objects: the server hands in { uri, version, text } and gets a DocumentClassification back.
 */
import type { ExtractedDraft, ExtractOptions } from '../draft/types';
import type { PaperText, Prediction } from '../model/types';
import type { DocumentClassification } from '../shared/protocol';
import type { ModelProvider } from './modelHost';
import { errorMessage } from '../shared/errors';
import { sha256 } from '../shared/hash';
import { primaryProbability } from './arxivRules';
import { DraftTimeoutError } from './draftWorker';

/** ExtractedDraft plus the body text the extractor returns for drafts without an abstract. */
export type Extracted = ExtractedDraft & { bodyText?: string };
export type ExtractFn = (text: string, opts: ExtractOptions) => Extracted | Promise<Extracted>;

export interface AnalyzeInput {
  uri: string;
  version: number;
  text: string;
  /** File-system path of the document (file: URIs); includes are resolved relative to it. */
  fsPath?: string;
  languageId?: string;
}

export interface Analysis {
  classification: DocumentClassification;
  /** Undefined when the text was refused before extraction (too large, binary, empty). */
  draft?: Extracted;
  /** What the classifier read (set when it ran), for explaining the prediction afterwards. */
  paper?: PaperText;
}

export interface AnalyzerOptions {
  extract: ExtractFn;
  models: ModelProvider;
  /** Reads an \input'ed file; undefined when it cannot be read (for an `extract` that reads includes through it). */
  readFile?: (absolutePath: string) => string | undefined;
  maxChars: () => number;
  /** Setting named when a draft could not be read within its time budget. */
  timeoutSetting?: string;
  /** Cache entries kept (least recently used are dropped). */
  cacheSize?: number;
}

export interface AnalyzerStats {
  /** analyze() calls. */
  analyses: number;
  /** Calls that reached the classifier. */
  classifications: number;
  cacheHits: number;
}

/** Body text beyond this is not sent to the classifier: the start of a paper says what it is about. */
const MAX_BODY_CHARS = 8_000;

export class DocumentAnalyzer {
  readonly stats: AnalyzerStats = { analyses: 0, classifications: 0, cacheHits: 0 };
  private readonly cache = new Map<string, Prediction>();

  constructor(private readonly opts: AnalyzerOptions) {}

  clearCache(): void {
    this.cache.clear();
  }

  async analyze(input: AnalyzeInput): Promise<Analysis> {
    const started = Date.now();
    this.stats.analyses += 1;
    const base = { uri: input.uri, version: input.version, declared: [] };
    const noExtraction = { usedBodyText: false, warnings: [] };
    const refuse = (status: DocumentClassification['status'], message: string): Analysis => ({
      classification: { ...base, status, message, extracted: noExtraction, elapsedMs: Date.now() - started },
    });

    const maxChars = this.opts.maxChars();
    if (input.text.length > maxChars) {
      return refuse(
        'too-large',
        `The document has ${input.text.length.toLocaleString('en-US')} characters, more than the limit of ` +
          `${maxChars.toLocaleString('en-US')} (setting arxivClassifier.maxDocumentChars); it was not classified.`,
      );
    }
    if (looksBinary(input.text)) {
      return refuse('binary', 'The document looks like binary data, not a LaTeX or Markdown draft; it was not classified.');
    }
    if (input.text.trim() === '') {
      return refuse('empty', 'The draft is empty. Write a title and an abstract to see its arXiv category.');
    }

    let draft: Extracted;
    try {
      draft = await this.opts.extract(input.text, {
        fileName: input.fsPath ?? input.uri,
        languageId: input.languageId,
        readFile: this.opts.readFile,
        maxChars,
      });
    } catch (e) {
      if (e instanceof DraftTimeoutError) {
        return refuse(
          'timeout',
          `This draft could not be read in time: reading it took longer than ${e.budgetMs.toLocaleString('en-US')} ms, so it was stopped ` +
            `(setting ${this.opts.timeoutSetting ?? 'arxivClassifier.extractionTimeoutMs'}). Other documents are not affected. ` +
            'Macros that expand into each other many times are the usual cause.',
        );
      }
      // The extractor promises never to throw; if it does (or its worker died), say so instead of failing the request.
      return refuse('error', `Could not read the draft: ${errorMessage(e)}.`);
    }

    const title = draft.title?.trim() ?? '';
    const abstract = draft.abstract?.trim() ?? '';
    const body = draft.bodyText?.trim() ?? '';
    const extracted: DocumentClassification['extracted'] = {
      title: draft.title,
      abstract: draft.abstract,
      titleDisplay: draft.titleDisplay,
      abstractDisplay: draft.abstractDisplay,
      titleRange: draft.titleRange,
      abstractRange: draft.abstractRange,
      usedBodyText: false,
      warnings: draft.warnings,
    };
    const declaredOnly = draft.declaredCategories.map((d) => ({ category: d.category }));
    if (!title && !abstract && !body) {
      return {
        draft,
        classification: {
          ...base,
          status: 'empty',
          message: 'The draft has no title, abstract or text yet. Write a title and an abstract to see its arXiv category.',
          extracted,
          declared: declaredOnly,
          elapsedMs: Date.now() - started,
        },
      };
    }

    const paper: PaperText = { title, abstract };
    if (!abstract && body) {
      paper.abstract = body.slice(0, MAX_BODY_CHARS);
      extracted.usedBodyText = true;
    }
    const note = missingNote(Boolean(title), Boolean(abstract), extracted.usedBodyText);

    let prediction: Prediction;
    try {
      prediction = await this.opts.models.withClassifier((classifier, modelId) => this.classify(classifier, modelId, paper));
    } catch (e) {
      return {
        draft,
        classification: {
          ...base,
          status: 'error',
          message: `Classification failed: ${errorMessage(e)}.`,
          extracted,
          declared: declaredOnly,
          elapsedMs: Date.now() - started,
        },
      };
    }
    return {
      draft,
      paper,
      classification: {
        ...base,
        status: 'ok',
        message: note,
        extracted,
        prediction,
        declared: draft.declaredCategories.map((d) => {
          const own = primaryProbability(d.category, prediction);
          return own ? { category: d.category, p: own.p, ...(own.atMost ? { atMost: true } : {}) } : { category: d.category };
        }),
        elapsedMs: Date.now() - started,
      },
    };
  }

  /**
   * Cached on SHA-256 of (model id, the exact classifier input): the same text under the same model is never
   * classified twice, and an edit to an \input'ed file (which changes the input) is never answered from cache.
   */
  private async classify(
    classifier: { classify(p: PaperText): Promise<Prediction> },
    modelId: string,
    paper: PaperText,
  ): Promise<Prediction> {
    const key = sha256(`${modelId}\0${paper.title}\0${paper.abstract}`);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits += 1;
      this.cache.delete(key); // re-insert: Map order is the LRU order
      this.cache.set(key, hit);
      return hit;
    }
    this.stats.classifications += 1;
    const prediction = await classifier.classify(paper);
    this.cache.set(key, prediction);
    const limit = this.opts.cacheSize ?? 200;
    while (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value as string);
    return prediction;
  }
}

/** One line on what the prediction is missing, or undefined when title and abstract were both found. */
export function missingNote(hasTitle: boolean, hasAbstract: boolean, usedBody: boolean): string | undefined {
  const from = usedBody ? 'the body text' : undefined;
  if (hasTitle && hasAbstract) return undefined;
  if (hasTitle) {
    return from
      ? 'No abstract found: classified from the title and the body text. Add an abstract for a more reliable prediction.'
      : 'No abstract found: classified from the title only. Add an abstract for a more reliable prediction.';
  }
  if (hasAbstract) return 'No title found: classified from the abstract only.';
  return 'No title or abstract found: classified from the body text, which is less reliable.';
}

/** NUL bytes or many control/replacement characters in the first 8 KB mean this is not a text draft. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || c === 0xfffd) odd++;
  }
  return sample.length > 0 && odd / sample.length > 0.1;
}
