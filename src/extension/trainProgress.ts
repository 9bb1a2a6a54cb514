/** Text and completion of training progress events, for the notification (pure, no vscode). */
import type { TrainEvent } from '../training/protocol';
import { formatDuration, formatMetric } from './format';

/** Turns one progress event into the notification's text. */
export function describeTrainEvent(ev: TrainEvent): string | undefined {
  switch (ev.type) {
    case 'phase':
      return ev.message || ev.phase;
    case 'progress': {
      const loss = Number.isFinite(ev.loss) ? ` · loss ${ev.loss.toFixed(3)}` : '';
      const eta = Number.isFinite(ev.etaSec) && ev.etaSec > 0 ? ` · ETA ${formatDuration(ev.etaSec)}` : '';
      return `epoch ${ev.epoch}/${ev.epochs} · step ${ev.step}/${ev.steps}${loss}${eta}`;
    }
    case 'epoch':
      return `epoch ${ev.metrics.epoch} done · val accuracy ${formatMetric('accuracy', ev.metrics.valAccuracy)} · val loss ${ev.metrics.valLoss.toFixed(3)}`;
    case 'log':
      return ev.level === 'warn' ? `⚠ ${ev.message}` : undefined;
    default:
      return undefined;
  }
}

/** Overall completion in [0, 100] for a progress event, if it says. */
export function trainPercent(ev: TrainEvent): number | undefined {
  if (ev.type !== 'progress' || ev.epochs <= 0 || ev.steps <= 0) return undefined;
  const done = (ev.epoch - 1 + Math.min(1, ev.step / ev.steps)) / ev.epochs;
  return Math.max(0, Math.min(100, done * 100));
}
