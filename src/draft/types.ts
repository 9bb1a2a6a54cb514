import type { DraftPreflight } from '../shared/preflight';

/** Where in which file a piece of the draft came from (0-based line/character, LSP style). */
export interface SourceRange {
  /** Absolute path (or the document's URI string for unsaved documents). */
  file: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A category the author declared in the draft (`% arXiv: cs.CL`, YAML `arxiv:` / `categories:`). */
export interface DeclaredCategory {
  category: string;
  range: SourceRange;
}

/** What was found in a draft. Missing parts are undefined and explained in `warnings`. */
export interface ExtractedDraft {
  format: 'latex' | 'markdown';
  title?: string;
  abstract?: string;
  /**
   * The title and abstract as people should read them (math and symbol macros as Unicode: "CP-odd",
   * "10²–10⁶ M⊙", "α ≤ 0.3"). Set whenever `title` / `abstract` is; those stay exactly what the model
   * reads (math as TeX between `$...$`, as it was trained). Show these in the UI and CLI output.
   */
  titleDisplay?: string;
  abstractDisplay?: string;
  titleRange?: SourceRange;
  abstractRange?: SourceRange;
  declaredCategories: DeclaredCategory[];
  /** Human-readable notes: what is missing, what could not be read, what was truncated. */
  warnings: string[];
  /** Where the draft turns the category check off (`% arXiv: no-check`, front matter `arxiv-check: false`). */
  noCheck?: SourceRange;
  /** Every file that was read (root first), for watching \input'ed files. */
  files: string[];
  /**
   * Readable text of the start of the body (after \begin{document} or the front matter, without the
   * title/abstract), at most ~2,000 characters. Only filled when the title or the abstract is missing,
   * so the classifier can still make a (weaker) prediction.
   */
  bodyText?: string;
  /** The file-dependent part of the submission preflight, when asked for (server/preflightRunner.ts). */
  preflight?: DraftPreflight;
}

export interface ExtractOptions {
  /** Path or URI of the document; its extension picks LaTeX or Markdown unless languageId says. */
  fileName: string;
  languageId?: string;
  /** Reads an \input/\include'd file; returns undefined when it does not exist. Default: none (no includes). */
  readFile?: (absolutePath: string) => string | undefined;
  /** Text larger than this (characters) is refused with a warning. Default 2,000,000. */
  maxChars?: number;
  /**
   * The project folder (workspace folder) holding the draft: an \input not found beside the root file is
   * also looked for in the folders between the root file's folder and this one (compile-from-above projects).
   */
  includeRoot?: string;
  /**
   * Whether the file-access policy refused this path (outside the allowed folders, a special file...). The
   * policy's own warning explains a refusal, so the extractor does not add a "could not read" line for it.
   */
  refused?: (absolutePath: string) => boolean;
}
