/**
 * Every integration suite, bundled into one file (`out/test/integration/suites.js`) that mocha loads with its tdd
 * globals (`suite`, `test`, `suiteSetup`) in place: our runner (index.ts) and @vscode/test-cli (.vscode-test.mjs)
 * both load it. Suites run in this order and share the one extension host.
 */
import './workbench.test';
import './activation.test';
import './commands.test';
import './comparison.test';
import './language.test';
import './panels.test';
import './ntkCharts.test';
import './ntk.test';
import './commandArguments.test';
