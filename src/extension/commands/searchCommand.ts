import * as vscode from 'vscode';
import type { BenchmarkApi } from '../../core/benchmark/api';
import { Commands } from '../../shared/commands';
import { opCountSummary } from '../../core/space/opSummary';
import { writeEncoding } from '../editor/writeEncoding';
import { datasetLabel, formatAccuracy, metricLabel, shortCellLabel } from '../format';
import { searchBenchmark, type SearchMatch } from '../search/searchMatches';
import { applyQueryFix, parseSearchQuery, type SearchQueryProblem } from '../search/searchQuery';
import type { ExtensionServices } from '../services';

/** Rows put into the QuickPick at once: enough to scroll, few enough to re-render on every keystroke. */
export const MAX_SEARCH_ITEMS = 500;

/** Pause in typing after which the list is filtered again. */
const SEARCH_DEBOUNCE_MS = 80;

/** What the command returns: the picked (or, in `matches` mode, every listed) cell. */
export interface SearchPick {
  readonly index: number;
  readonly archString: string;
  readonly value: number;
  readonly rank: number | undefined;
}

const BUTTONS = {
  insert: { iconPath: new vscode.ThemeIcon('insert'), tooltip: 'Insert at cursor' },
  copy: { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy architecture string' },
  compare: { iconPath: new vscode.ThemeIcon('pin'), tooltip: 'Add to comparison' },
  diagram: { iconPath: new vscode.ThemeIcon('type-hierarchy-sub'), tooltip: 'Show cell diagram' },
} satisfies Record<string, vscode.QuickInputButton>;

interface MatchItem extends vscode.QuickPickItem {
  readonly match: SearchMatch;
}

/** A row standing for a problem in the query: Enter applies its fix (the corrected query) or does nothing. */
interface ProblemItem extends vscode.QuickPickItem {
  readonly problem: SearchQueryProblem;
}

type SearchItem = MatchItem | ProblemItem;

function toPick(m: SearchMatch): SearchPick {
  return { index: m.arch.index, archString: m.arch.archString, value: m.value, rank: m.rank };
}

/**
 * One row per cell, within the QuickPick's ~600 px: line 1 the rank and the metric (label), then the index and the
 * ops counted (`3×conv3 2×skip 1×pool`, description); line 2 the cell node by node (detail). The 95-character string
 * itself does not fit a row; Enter, Copy and Insert write it whole. Op words stay out of the label: VS Code
 * re-sorts items whose label matches the typed text (even with `alwaysShow`), which would scramble the ranking for
 * queries like `conv3x3 skip`.
 */
function toItem(m: SearchMatch, metricText: string): MatchItem {
  return {
    label: m.rank === undefined ? `${metricText} n/a` : `#${m.rank} · ${metricText} ${formatAccuracy(m.value)}`,
    description: `index ${m.arch.index} · ${opCountSummary(m.arch.cell)}`,
    detail: `nodes 1 | 2 | 3: ${shortCellLabel(m.arch.cell)}`,
    // Filtering is ours (ops, constraints, indices); `alwaysShow` stops the QuickPick from filtering on the label.
    alwaysShow: true,
    buttons: [BUTTONS.insert, BUTTONS.copy, BUTTONS.compare, BUTTONS.diagram],
    match: m,
  };
}

function toProblemItem(problem: SearchQueryProblem, query: string): ProblemItem {
  return {
    label: `$(error) ${problem.message}`,
    detail: problem.fix
      ? `Enter: search for "${applyQueryFix(query, problem).trim()}"`
      : 'Edit the query: write ops (conv3x3 skip), no avg_pool, edge 2->3 = skip, or an index.',
    alwaysShow: true,
    problem,
  };
}

/**
 * Inserts at the cursor of the last active text editor (the QuickPick has focus), replacing a selection, written as
 * it fits there: the bare string inside a string literal or comment, a quoted literal in code.
 */
async function insertAtCursor(archString: string): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return false;
  return writeEncoding(editor, editor.selections, 'string', archString);
}

/**
 * Search Architectures...: a QuickPick over all 6,466 evaluated cells, best first by the configured metric,
 * filtered live by ops, constraints, an index or an encoding. Enter inserts the string at the cursor (copies it
 * when no editor is open); row buttons insert, copy, pin or draw it. Returns the picked cell.
 *
 * Args `[query?, mode?]`: `query` pre-fills the box; mode `'matches'` returns the listed cells without any UI
 * (for tests and scripts).
 */
export function searchArchitectures(s: ExtensionServices) {
  return async (queryArg?: unknown, modeArg?: unknown): Promise<SearchPick | SearchPick[] | undefined> => {
    const initial = typeof queryArg === 'string' ? queryArg : '';
    if (modeArg === 'matches') {
      const { dataset, metric } = s.settings();
      return searchBenchmark(
        await s.benchmark.get(),
        dataset,
        metric,
        parseSearchQuery(initial),
        MAX_SEARCH_ITEMS,
      ).matches.map(toPick);
    }
    return pickArchitecture(s, initial);
  };
}

async function pickArchitecture(s: ExtensionServices, initial: string): Promise<SearchPick | undefined> {
  const { dataset, metric } = s.settings();
  const qp = vscode.window.createQuickPick<SearchItem>();
  qp.placeholder = 'Filter: conv3x3 skip · no avg_pool · edge 2->3 = skip · 1462 · |nor_conv_3x3~0|+|...';
  qp.matchOnDescription = false;
  qp.matchOnDetail = false;
  qp.ignoreFocusOut = false;
  qp.value = initial;
  qp.busy = true;
  qp.title = 'Search Architectures: loading NAS-RobBench-201...';
  qp.show();

  const disposables: vscode.Disposable[] = [qp];
  let bench: BenchmarkApi;
  try {
    bench = await s.benchmark.get();
  } catch (error) {
    qp.dispose();
    throw error;
  }
  const metricText = metricLabel(metric);
  const render = () => {
    const query = qp.value;
    const result = searchBenchmark(bench, dataset, metric, parseSearchQuery(query), MAX_SEARCH_ITEMS);
    if (result.errors.length > 0) {
      qp.items = result.errors.map((p) => toProblemItem(p, query));
      qp.title = `Search Architectures: the query has ${result.errors.length === 1 ? 'a problem' : `${result.errors.length} problems`} · no cells listed`;
      return;
    }
    qp.items = result.matches.map((m) => toItem(m, metricText));
    const shown = result.total > result.matches.length ? `, best ${result.matches.length} shown` : '';
    qp.title = `${result.total} of ${bench.evaluatedIndices.length} cells${shown} · ranked by ${metricText} on ${datasetLabel(dataset)}`;
  };
  render();
  qp.busy = false;
  // Typing fires one change per key; re-filtering 6,466 cells and re-sending 500 rows each time makes a fast typist's
  // final query land late. Render once the typing pauses.
  let pendingRender: ReturnType<typeof setTimeout> | undefined;
  const renderSoon = () => {
    if (pendingRender) clearTimeout(pendingRender);
    pendingRender = setTimeout(() => {
      pendingRender = undefined;
      render();
    }, SEARCH_DEBOUNCE_MS);
  };
  disposables.push({ dispose: () => pendingRender && clearTimeout(pendingRender) });

  return new Promise<SearchPick | undefined>((resolve) => {
    let settled = false;
    let accepting = false;
    const finish = (pick: SearchPick | undefined) => {
      if (settled) return;
      settled = true;
      resolve(pick);
      disposables.forEach((d) => d.dispose());
    };
    disposables.push(
      qp.onDidChangeValue(renderSoon),
      qp.onDidTriggerItemButton(async (e) => {
        if (!('match' in e.item)) return;
        const archString = e.item.match.arch.archString;
        try {
          if (e.button === BUTTONS.insert) {
            if (!(await insertAtCursor(archString)))
              void vscode.window.showWarningMessage('Robust NAS: no editor to insert into; use Copy instead.');
          } else if (e.button === BUTTONS.copy) {
            await vscode.env.clipboard.writeText(archString);
            void vscode.window.setStatusBarMessage(`Robust NAS: copied ${archString}`, 3000);
          } else if (e.button === BUTTONS.compare) {
            await s.comparison.add(archString);
            void vscode.window.setStatusBarMessage('Robust NAS: added to the comparison', 3000);
          } else if (e.button === BUTTONS.diagram) {
            await vscode.commands.executeCommand(Commands.showCellDiagram, archString);
          }
        } catch (error) {
          s.log.error(`Search button failed: ${String(error)}`);
          void vscode.window.showErrorMessage(`Robust NAS: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
      qp.onDidAccept(async () => {
        const item = qp.selectedItems[0] ?? qp.activeItems[0];
        if (!item) return;
        if ('problem' in item) {
          // A problem row: Enter takes its fix into the box (the list then shows the cells), or does nothing.
          if (item.problem.fix) {
            if (pendingRender) clearTimeout(pendingRender);
            pendingRender = undefined;
            qp.value = applyQueryFix(qp.value, item.problem);
            render();
          }
          return;
        }
        const pick = toPick(item.match);
        // While the pick is inserted the QuickPick may close; that is not a cancel.
        accepting = true;
        if (!(await insertAtCursor(pick.archString))) {
          await vscode.env.clipboard.writeText(pick.archString);
          void vscode.window.setStatusBarMessage(`Robust NAS: copied ${pick.archString}`, 3000);
        }
        finish(pick);
      }),
      qp.onDidHide(() => {
        if (!accepting) finish(undefined);
      }),
    );
  });
}
