/**
 * Public entry points of draft extraction: find the title, abstract and declared arXiv categories of a
 * LaTeX or Markdown draft. Nothing here throws; every problem becomes a warning in the result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExtractOptions, ExtractedDraft } from './types';
import { extractLatex } from './latex';
import { extractMarkdown } from './markdown';
import { findTexRoot, subfilesParent, texRootComment } from './texRoot';
import { toFsPath } from './paths';
import { capDraft } from './limits';
import { displayText } from './displayText';
import { BINARY_WARNING, DEFAULT_MAX_CHARS, decodeDraftBytes, tooLargeWarning } from './inputGuards';
import { FileAccess, type FileAccessPolicy } from './fileAccess';
import { readRegularFile } from '../shared/regularFile';

export { findTexRoot } from './texRoot';
export type { ExtractOptions, ExtractedDraft, DeclaredCategory, SourceRange } from './types';

const MARKDOWN_LANGUAGES = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc']);
const LATEX_LANGUAGES = new Set(['latex', 'tex', 'plaintex', 'latex-expl3']);
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.qmd', '.rmd', '.pmd', '.mdown']);
const LATEX_EXTENSIONS = new Set(['.tex', '.ltx', '.latex', '.rnw']);
const MAX_ROOT_HOPS = 3;

/** LaTeX or Markdown, from the language id, else the extension, else the content. */
export function detectFormat(text: string, opts: Pick<ExtractOptions, 'fileName' | 'languageId'>): { format: 'latex' | 'markdown'; guessed: boolean } {
  const lang = opts.languageId?.toLowerCase();
  if (lang && MARKDOWN_LANGUAGES.has(lang)) return { format: 'markdown', guessed: false };
  if (lang && LATEX_LANGUAGES.has(lang)) return { format: 'latex', guessed: false };
  const ext = path.extname(opts.fileName.replace(/[?#].*$/, '')).toLowerCase();
  if (MARKDOWN_EXTENSIONS.has(ext)) return { format: 'markdown', guessed: false };
  if (LATEX_EXTENSIONS.has(ext)) return { format: 'latex', guessed: false };
  const latexLike = /\\(?:documentclass|begin\s*\{|title\s*\{|section\s*\{)/.test(text.slice(0, 20000));
  return { format: latexLike ? 'latex' : 'markdown', guessed: true };
}

function emptyDraft(format: 'latex' | 'markdown', fileName: string, warnings: string[]): ExtractedDraft {
  return { format, declaredCategories: [], warnings, files: [fileName] };
}

/** Title, abstract, declared categories (and body text when something is missing) of a draft's text. */
export function extractDraft(text: string, opts: ExtractOptions): ExtractedDraft {
  let format: 'latex' | 'markdown' = 'latex';
  try {
    const detected = detectFormat(typeof text === 'string' ? text : '', opts);
    format = detected.format;
    if (typeof text !== 'string') return emptyDraft(format, opts.fileName, ['No text was given for the draft.']);
    const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
    if (text.length > maxChars) return emptyDraft(format, opts.fileName, [tooLargeWarning(text.length, maxChars)]);
    if (text.includes('\u0000')) return emptyDraft(format, opts.fileName, [BINARY_WARNING]);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!text.trim()) {
      return emptyDraft(format, opts.fileName, [
        'The draft is empty: write a title and an abstract to get a category prediction.',
      ]);
    }
    const draft = format === 'markdown' ? extractMarkdown(text, opts.fileName, opts.readFile) : extractFromLatexRoot(text, opts, maxChars);
    if (detected.guessed) {
      draft.warnings.unshift(`Unknown file type for ${path.basename(opts.fileName)}: read it as ${format === 'latex' ? 'LaTeX' : 'Markdown'}.`);
    }
    capDraft(draft);
    if (draft.title !== undefined) draft.titleDisplay = displayText(draft.title);
    if (draft.abstract !== undefined) draft.abstractDisplay = displayText(draft.abstract);
    return draft;
  } catch (err) {
    return emptyDraft(format, opts.fileName, [`Internal error while reading the draft: ${(err as Error)?.message ?? String(err)}`]);
  }
}

/** Follows `% !TEX root` (and subfiles' \documentclass[main]{subfiles}) before extracting. */
function extractFromLatexRoot(text: string, opts: ExtractOptions, maxChars: number): ExtractedDraft {
  const readFile = opts.readFile;
  const declaredRoot = texRootComment(text) ?? subfilesParent(text);
  const includeRoot = opts.includeRoot;
  const refused = opts.refused;
  if (!readFile || !declaredRoot) return extractLatex(text, opts.fileName, { readFile, maxChars, includeRoot, refused });

  const selfPath = toFsPath(opts.fileName);
  const overlay = new Map<string, string>();
  if (selfPath) overlay.set(selfPath, text);
  const seen = new Set<string>(selfPath ? [selfPath] : []);
  let rootName = opts.fileName;
  let rootText = text;
  for (let hop = 0; hop < MAX_ROOT_HOPS; hop++) {
    const next = findTexRoot(rootText, rootName, readFile);
    if (!next || seen.has(next)) break;
    const nextText = readFile(next);
    if (nextText === undefined || nextText.includes('\u0000') || nextText.length > maxChars) break;
    seen.add(next);
    rootName = next;
    rootText = nextText;
  }
  if (rootName === opts.fileName) {
    const draft = extractLatex(text, opts.fileName, { readFile, maxChars, includeRoot, refused });
    draft.warnings.unshift(`The root file "${declaredRoot}" named by this file could not be read: only this file was analysed.`);
    return draft;
  }
  const draft = extractLatex(rootText, rootName, { readFile, maxChars, overlay, includeRoot, refused });
  if (!draft.files.includes(opts.fileName) && !(selfPath && draft.files.includes(selfPath))) draft.files.push(opts.fileName);
  return draft;
}

export interface FileExtractOptions {
  maxChars?: number;
  /** Folders includes may come from; default: the draft's own folder tree. */
  roots?: string[];
  /** Read includes outside `roots` as well (the CLI's --allow-outside-includes). */
  allowOutsideIncludes?: boolean;
}

/**
 * Reads a draft the user named (the CLI): the file itself is always read (if it is a regular file of sane
 * size); its includes only inside `roots` (default: the draft's folder) unless outside includes are allowed.
 * Binary files, invalid UTF-8 and files above `maxChars` are refused with a warning.
 */
export function extractDraftFromFile(filePath: string, opts: FileExtractOptions = {}): ExtractedDraft {
  const absolute = path.resolve(filePath);
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const format = detectFormat('', { fileName: absolute }).format;
  try {
    const root = readDraftFile(absolute, maxChars);
    if (root.text === undefined) return emptyDraft(format, absolute, root.warnings);
    const policy: FileAccessPolicy = {
      roots: opts.roots ?? [path.dirname(absolute)],
      allowOutside: opts.allowOutsideIncludes ?? false,
      maxBytes: maxChars * 4,
      allowHint: '--allow-outside-includes',
    };
    const draft = extractInProject(root.text, { fileName: absolute, maxChars }, policy);
    draft.warnings.unshift(...root.warnings);
    return draft;
  } catch (err) {
    return emptyDraft(format, absolute, [`Internal error while reading ${absolute}: ${(err as Error)?.message ?? String(err)}`]);
  }
}

/**
 * Extraction under a file-access policy (server, draft worker and CLI): includes are read through
 * FileAccess only, and what it skipped is added to the warnings. `overlay`: unsaved editor texts by path.
 */
export function extractInProject(
  text: string,
  opts: Omit<ExtractOptions, 'readFile' | 'includeRoot' | 'refused'>,
  policy: FileAccessPolicy,
  overlay?: ReadonlyMap<string, string>,
): ExtractedDraft {
  const access = new FileAccess(policy, overlay);
  const self = toFsPath(opts.fileName);
  const draft = extractDraft(text, { ...opts, readFile: access.readFile, refused: access.wasRefused, includeRoot: self ? access.rootOf(self) : undefined });
  draft.warnings.push(...access.warnings().filter((w) => !draft.warnings.includes(w)));
  return draft;
}

function readDraftFile(p: string, maxChars: number): { text?: string; warnings: string[]; missing?: boolean } {
  try {
    // UTF-8 needs at most 4 bytes per character: beyond that the text is surely over the limit, so don't read it.
    // (A size of 0 proves nothing - /proc files say 0 and never end - so the read below is capped as well.)
    const stat = fs.statSync(p);
    if (stat.isFile() && stat.size > maxChars * 4) return { warnings: [tooLargeWarning(stat.size, maxChars, 'bytes')] };
  } catch {
    /* readRegularFile says why */
  }
  const r = readRegularFile(p, maxChars * 4);
  if (!r.ok) return { warnings: [r.reason], missing: r.missing };
  const decoded = decodeDraftBytes(r.bytes);
  if (decoded.text !== undefined && decoded.text.length > maxChars) {
    return { warnings: [tooLargeWarning(decoded.text.length, maxChars)] };
  }
  return decoded;
}
