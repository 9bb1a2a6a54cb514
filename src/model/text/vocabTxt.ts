/**
 * The BERT vocab.txt format: one token per line, id = line number, "\n" line ends (a "\r" before it is
 * dropped), a final newline. Read here for the tokenizer, model bundles and fine-tuning; written by training.
 */

/** Tokens of a vocab.txt, indexed by id. Empty lines keep their id (SciBERT has one). */
export function parseVocabTxt(text: string, where: string): string[] {
  if (text.includes('\0')) throw new Error(`${where}: not a vocab.txt (binary data)`);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const tokens = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (tokens.every((t) => t.length === 0)) throw new Error(`${where}: vocab file is empty`);
  return tokens;
}

export function formatVocabTxt(tokens: readonly string[]): string {
  return tokens.join('\n') + '\n';
}
