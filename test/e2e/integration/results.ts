/** What the integration suite reports from inside the extension host to the runner outside (a JSON file). */
export interface IntegrationTestResult {
  title: string;
  /** Suite titles and test title, as mocha joins them. */
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface IntegrationResults {
  tests: IntegrationTestResult[];
  durationMs: number;
}
