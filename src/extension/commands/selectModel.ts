/** "arXiv: Select Model": shipped default, a trained bundle, or a SciBERT ONNX folder; persisted in settings. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { arxivErrorData, type ModelInfoDto } from '../../shared/protocol';
import { headsForEncoder, isOnnxExport, listTrainedModels } from '../trainedModels';
import { SECTION } from '../settings';
import { COMMANDS } from '../commandIds';
import type { Services } from '../services';
import { errorMessage } from '../../shared/errors';

export type SelectModelResult =
  | { ok: true; model: ModelInfoDto }
  | { ok: false; error: string }
  /** A SciBERT export with no classifier head trained on it yet: nothing was loaded. */
  | { ok: false; error: string; needsTraining: true; encoderDir: string };

interface ModelPick extends vscode.QuickPickItem {
  action: 'default' | 'dir' | 'browse-bundle' | 'browse-onnx';
  dir?: string;
}

async function pickModelDir(s: Services): Promise<string | null | undefined> {
  const current = s.store.model;
  const trainingDir = vscode.Uri.joinPath(s.context.globalStorageUri, 'models').fsPath;
  const items: ModelPick[] = [
    { label: '$(package) Shipped default model', description: 'bundled with the extension', action: 'default' },
    ...listTrainedModels(trainingDir).map<ModelPick>((m) => ({
      label: `$(beaker) ${m.name}`,
      description: current && path.resolve(current.dir) === path.resolve(m.dir) ? 'current' : 'trained',
      detail: m.dir,
      action: 'dir',
      dir: m.dir,
    })),
    { label: '$(folder-opened) Trained model folder…', description: 'a bundle written by "arXiv: Train Model" or the CLI', action: 'browse-bundle' },
    { label: '$(folder-opened) SciBERT ONNX folder…', description: 'model.onnx + vocab.txt; uses (or trains) a classifier head on it', action: 'browse-onnx' },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'arXiv: Select Model',
    placeHolder: current ? `Current: ${current.name}` : 'Choose the model that classifies drafts',
    matchOnDetail: true,
  });
  if (!pick) return undefined;
  if (pick.action === 'default') return null;
  if (pick.action === 'dir') return pick.dir;
  const uris = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: pick.action === 'browse-onnx' ? 'Use this SciBERT folder' : 'Use this model',
    title: pick.action === 'browse-onnx' ? 'Folder of a SciBERT ONNX export' : 'Trained model folder',
  });
  return uris?.[0]?.fsPath;
}

/**
 * Command handler. `dir` skips the picker: a folder path, or null for the shipped default.
 * On failure the server keeps its model and the user sees why.
 */
export async function selectModelCommand(s: Services, dir?: string | null): Promise<SelectModelResult | undefined> {
  let chosen = dir === undefined ? await pickModelDir(s) : dir;
  if (chosen === undefined) return undefined;
  if (chosen !== null && typeof chosen !== 'string') return { ok: false, error: 'invalid model folder argument' };
  if (chosen !== null && isOnnxExport(chosen)) {
    // An encoder alone cannot classify: use the newest head trained on it, or offer to train one.
    const trainingDir = vscode.Uri.joinPath(s.context.globalStorageUri, 'models').fsPath;
    const head = headsForEncoder(trainingDir, chosen)[0];
    if (!head) return offerHeadTraining(chosen);
    s.log(`Select Model: ${chosen} is a SciBERT export; using the head trained on it in ${head.dir}`);
    chosen = head.dir;
  }
  try {
    await s.whenServerReady();
    const model = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'arXiv: loading model…' },
      () => s.server.selectModel(chosen),
    );
    s.store.setModel(model);
    // Persist: the server reloads this folder on the next start.
    await vscode.workspace.getConfiguration(SECTION).update('modelPath', chosen ?? '', vscode.ConfigurationTarget.Global);
    void vscode.window.showInformationMessage(`arXiv: now using model "${model.name}".`);
    return { ok: true, model };
  } catch (e) {
    // A failed load is answered with data (the folder, the model still in use) and a message that says it all;
    // anything else (server not running, a bug) gets the context added here.
    const data = arxivErrorData(e);
    const error =
      data?.code === 'modelLoadFailed'
        ? errorMessage(e)
        : `Could not load the model${chosen ? ` in ${chosen}` : ''}: ${errorMessage(e)}.${s.store.model ? ` Still using "${s.store.model.name}".` : ''}`;
    void vscode.window.showErrorMessage(`arXiv: ${error}`);
    return { ok: false, error };
  }
}

/** No head has been trained on this encoder yet: say so and offer "Train Model" with it (nothing is loaded). */
function offerHeadTraining(encoderDir: string): SelectModelResult {
  const error =
    `${path.basename(encoderDir)} is a SciBERT encoder: it needs a classifier head trained on its features before it can classify. ` +
    'Train one with "Train a head on it" (the current model stays in use meanwhile).';
  void vscode.window.showWarningMessage(`arXiv: ${error}`, 'Train a head on it').then((a) => {
    if (a) void vscode.commands.executeCommand(COMMANDS.train, { onnxEncoderDir: encoderDir });
  });
  return { ok: false, error, needsTraining: true, encoderDir };
}
