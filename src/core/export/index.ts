import type { ExportSubject, PytorchExport } from './exportSubject';
import { renderModelPy } from './modelPy';
import { renderTrainPy } from './trainPy';

export * from './exportSubject';
export { exportSubjectOf } from './fromBenchmark';
export { headerLines } from './header';
export { renderModelPy } from './modelPy';
export { renderTrainPy, RECIPE_SOURCE } from './trainPy';

/** Both files of a PyTorch export of one cell (pure: the caller gathers the subject and writes the files). */
export function renderPytorchExport(subject: ExportSubject): PytorchExport {
  return { 'model.py': renderModelPy(subject), 'train.py': renderTrainPy(subject) };
}
