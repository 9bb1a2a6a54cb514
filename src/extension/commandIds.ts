/**
 * Every command the extension contributes, by name. No `vscode` import, so unit tests can hold it to
 * package.json `contributes.commands`; extension.ts registers exactly one handler per entry (its handler map
 * is typed by this table, so a missing or extra handler does not compile).
 *
 * Adding a command: add `name: 'arxivClassifier.name'` here, the same id with a title to package.json
 * `contributes.commands`, and its handler to the `handlers` map in extension.ts.
 */
export const COMMANDS = {
  classify: 'arxivClassifier.classify',
  train: 'arxivClassifier.train',
  showReport: 'arxivClassifier.showReport',
  selectModel: 'arxivClassifier.selectModel',
  restartServer: 'arxivClassifier.restartServer',
  revealSidebar: 'arxivClassifier.revealSidebar',
  openExampleDraft: 'arxivClassifier.openExampleDraft',
  copyMetadata: 'arxivClassifier.copyMetadata',
  toggleEvidenceHighlights: 'arxivClassifier.toggleEvidenceHighlights',
  showStatus: 'arxivClassifier.showStatus',
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];
