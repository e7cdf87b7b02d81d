import * as vscode from 'vscode';
import { NtkCancelledError } from '../../core/ntk/pool';

/** How far a long computation is: `done` of `total` steps, and the stage it is in. */
export interface StepProgress {
  readonly done: number;
  readonly total: number;
  readonly stage?: string;
}

/**
 * Runs `work` under a cancellable progress notification (NTK scores, training-free scores, NAS runs): its reports
 * move the bar by the fraction done and show the stage; Cancel aborts the signal it is given (the NTK pool then
 * terminates the worker, a search stops between runs), and a cancelled run rejects with vscode.CancellationError,
 * which the command table ends quietly.
 */
export function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal, report: (p: StepProgress) => void) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await work(abort.signal, (p) => {
            const percent = (p.done / Math.max(1, p.total)) * 100;
            progress.report({ message: p.stage, increment: percent - last });
            last = percent;
          });
        } catch (error) {
          if (error instanceof NtkCancelledError || abort.signal.aborted) throw new vscode.CancellationError();
          throw error;
        } finally {
          sub.dispose();
        }
      },
    ),
  );
}
