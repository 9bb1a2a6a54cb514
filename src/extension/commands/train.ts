/**
 * "arXiv: Train Model": asks for a dataset, augmentation techniques and epochs, starts a run on the
 * server and shows its progress in a cancellable notification. Refused in untrusted workspaces because
 * training runs external programs (Apertium for back-translation) on files the workspace names.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainEventMessage, TrainRequest } from '../../shared/protocol';
import type { AugmentTechnique } from '../../training/protocol';
import { COMMANDS } from '../commandIds';
import { headlineMetrics } from '../format';
import { describeTrainEvent, trainPercent } from '../trainProgress';
import { readSettings, resolveSettingPath, SECTION } from '../settings';
import { settingId } from '../../shared/settings';
import type { Services } from '../services';
import { errorMessage } from '../../shared/errors';

export const AUGMENTATIONS: { id: AugmentTechnique; label: string; detail: string }[] = [
  { id: 'backtranslation', label: 'Back-translation', detail: 'English → Spanish → English with Apertium (offline); slow' },
  { id: 'synonyms', label: 'WordNet synonyms', detail: 'replace words with WordNet synonyms' },
  { id: 'eda', label: 'EDA', detail: 'easy data augmentation: random swap, insertion, deletion' },
  { id: 'mixup', label: 'Mixup', detail: 'interpolate pairs of examples and their labels' },
  { id: 'smote', label: 'Minority oversampling', detail: 'SMOTE-style oversampling of rare categories' },
];

export type TrainOutcome =
  | { status: 'done'; modelDir: string; metrics: Record<string, number> }
  | { status: 'cancelled' }
  | { status: 'error'; message: string }
  | { status: 'refused'; message: string };

/** Optional answers that skip the dialogs (used by tests and by other extensions). */
export interface TrainArgs {
  dataPath?: string;
  techniques?: AugmentTechnique[];
  epochs?: number;
  maxPapers?: number;
  /** A SciBERT ONNX export: train the classifier head on its (frozen) features instead of the compact encoder. */
  onnxEncoderDir?: string;
}

async function askDataset(s: Services): Promise<string | undefined> {
  const configured = readSettings().trainingDataPath;
  type Pick = vscode.QuickPickItem & { path?: string };
  const items: Pick[] = [];
  if (configured) {
    const p = resolveSettingPath(configured);
    items.push({ label: `$(database) ${path.basename(p)}`, description: settingId('trainingDataPath'), detail: p, path: p });
  }
  items.push({ label: '$(folder-opened) Choose a dataset file…', description: 'JSONL(.gz) or CSV with title, abstract, category' });
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'arXiv: Train Model (1/3) — dataset' });
  if (!pick) return undefined;
  if (pick.path) return pick.path;
  const uris = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Train on this dataset',
    title: 'Dataset: JSONL(.gz) or CSV with title, abstract and category',
    filters: { 'Paper datasets': ['jsonl', 'gz', 'csv', 'json'], 'All files': ['*'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  void s;
  return uris?.[0]?.fsPath;
}

async function askTechniques(): Promise<AugmentTechnique[] | undefined> {
  const picks = await vscode.window.showQuickPick(
    AUGMENTATIONS.map((a) => ({ label: a.label, detail: a.detail, id: a.id, picked: false })),
    { title: 'arXiv: Train Model (2/3) — augmentation (optional; Enter for none)', canPickMany: true },
  );
  return picks?.map((p) => p.id);
}

async function askEpochs(defaultEpochs: number): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'arXiv: Train Model (3/3) — epochs',
    value: String(defaultEpochs),
    prompt: 'Number of training epochs (1–200)',
    validateInput: (t) => (/^\d+$/.test(t.trim()) && +t >= 1 && +t <= 200 ? undefined : 'Enter a whole number from 1 to 200'),
  });
  return v === undefined ? undefined : parseInt(v, 10);
}

function outDirFor(s: Services, dataPath: string, encoderDir?: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const data = path.basename(dataPath).replace(/\.(jsonl|csv|json)(\.gz)?$/i, '');
  const base = (encoderDir ? `${data}-${path.basename(encoderDir)}` : data).replace(/[^\w.-]+/g, '_') || 'model';
  return vscode.Uri.joinPath(s.context.globalStorageUri, 'models', `${base}-${stamp}`).fsPath;
}

export async function trainCommand(s: Services, args?: TrainArgs): Promise<TrainOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    const message =
      'arXiv: training is disabled in untrusted workspaces: it runs external programs (Apertium) on files from the workspace. Trust the workspace to train.';
    void vscode.window.showErrorMessage(message, 'Manage Workspace Trust').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return { status: 'refused', message };
  }
  const opts = args && typeof args === 'object' ? args : {};
  const dataPath = typeof opts.dataPath === 'string' ? opts.dataPath : await askDataset(s);
  if (!dataPath) return undefined;
  const techniques = Array.isArray(opts.techniques) ? opts.techniques : await askTechniques();
  if (!techniques) return undefined;
  const epochs = typeof opts.epochs === 'number' ? opts.epochs : await askEpochs(readSettings().trainingEpochs);
  if (!epochs) return undefined;

  const encoderDir = typeof opts.onnxEncoderDir === 'string' ? opts.onnxEncoderDir : undefined;
  const request: TrainRequest = {
    dataPath,
    outDir: outDirFor(s, dataPath, encoderDir),
    epochs,
    ...(typeof opts.maxPapers === 'number' ? { maxPapers: opts.maxPapers } : {}),
    ...(encoderDir ? { onnxEncoderDir: encoderDir } : {}),
    ...(techniques.length ? { augment: { techniques } } : {}),
  };
  try {
    await s.whenServerReady();
  } catch (e) {
    void vscode.window.showErrorMessage(`arXiv: ${errorMessage(e)}`);
    return { status: 'error', message: errorMessage(e) };
  }
  s.log(`Training: ${JSON.stringify(request)}`);
  const outcome = await runWithProgress(s, request);
  await reportOutcome(s, outcome);
  return outcome;
}

function runWithProgress(s: Services, request: TrainRequest): Promise<TrainOutcome> {
  return new Promise<TrainOutcome>((resolve) => {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: request.onnxEncoderDir
          ? `arXiv: training a head on ${path.basename(request.onnxEncoderDir)} with ${path.basename(request.dataPath)}`
          : `arXiv: training on ${path.basename(request.dataPath)}`,
        cancellable: true,
      },
      async (progress, token) => {
        let runId: string | undefined;
        let reported = 0;
        const early: TrainEventMessage[] = [];
        let settle: (o: TrainOutcome) => void = () => undefined;
        const finished = new Promise<TrainOutcome>((r) => (settle = r));
        const handle = (m: TrainEventMessage): void => {
          const ev = m.event;
          const text = describeTrainEvent(ev);
          const pct = trainPercent(ev);
          const increment = pct !== undefined && pct > reported ? pct - reported : undefined;
          if (increment !== undefined) reported = pct!;
          if (text !== undefined || increment !== undefined) progress.report({ message: text, increment });
          if (ev.type === 'log') s.log(`Training: ${ev.level === 'warn' ? 'warning: ' : ''}${ev.message}`);
          else if (ev.type === 'phase' || ev.type === 'epoch') s.log(`Training: ${text ?? ev.type}`);
          if (ev.type === 'done') settle({ status: 'done', modelDir: ev.modelDir, metrics: ev.metrics });
          else if (ev.type === 'cancelled') settle({ status: 'cancelled' });
          else if (ev.type === 'error') settle({ status: 'error', message: ev.message });
        };
        const sub = s.server.onTrainEvent((m) => {
          if (runId === undefined) early.push(m);
          else if (m.runId === runId) handle(m);
        });
        const onCancel = token.onCancellationRequested(() => {
          progress.report({ message: 'cancelling…' });
          if (runId) void s.server.cancelTraining(runId).then(undefined, (e) => s.log(`cancel failed: ${errorMessage(e)}`));
        });
        // The server dying ends the run from our point of view.
        const onState = s.server.onDidStop(() => settle({ status: 'error', message: 'the language server stopped during training' }));
        try {
          progress.report({ message: 'starting…' });
          const started = await s.server.startTraining(request);
          runId = started.runId;
          for (const m of early.splice(0)) if (m.runId === runId) handle(m);
          if (token.isCancellationRequested) void s.server.cancelTraining(runId);
          resolve(await finished);
        } catch (e) {
          resolve({ status: 'error', message: errorMessage(e) });
        } finally {
          sub.dispose();
          onCancel.dispose();
          onState.dispose();
        }
      },
    );
  });
}

async function reportOutcome(s: Services, outcome: TrainOutcome): Promise<void> {
  switch (outcome.status) {
    case 'done': {
      const shown = headlineMetrics(outcome.metrics)
        .slice(0, 4)
        .map((m) => `${m.label} ${m.text}`)
        .join(', ');
      // The server hot-swaps to the new bundle; remember it for the next start too.
      await vscode.workspace.getConfiguration(SECTION).update('modelPath', outcome.modelDir, vscode.ConfigurationTarget.Global);
      void vscode.window
        .showInformationMessage(`arXiv: training finished — ${shown || 'no metrics reported'}. Now using ${path.basename(outcome.modelDir)}.`, 'Show Evaluation Report')
        .then((a) => a && vscode.commands.executeCommand(COMMANDS.showReport));
      break;
    }
    case 'cancelled':
      void vscode.window.showInformationMessage('arXiv: training cancelled; the current model is unchanged.');
      break;
    case 'error':
      void vscode.window.showErrorMessage(`arXiv: training failed: ${outcome.message}`);
      break;
    case 'refused':
      break;
  }
}
