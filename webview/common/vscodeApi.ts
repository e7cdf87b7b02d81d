/**
 * The typed handle on VS Code's webview API. `acquireVsCodeApi` may be called once per page, so every module
 * goes through this one instance. Tests provide a stub with the same three functions.
 */
interface VsCodeApi<State, Outgoing> {
  postMessage(message: Outgoing): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State, Outgoing>(): VsCodeApi<State, Outgoing>;

let api: VsCodeApi<unknown, unknown> | undefined;

export function vscodeApi<State, Outgoing>(): VsCodeApi<State, Outgoing> {
  api ??= acquireVsCodeApi<unknown, unknown>();
  return api as VsCodeApi<State, Outgoing>;
}

/** Calls `handler` for every message the extension posts. */
export function onHostMessage<Incoming>(handler: (message: Incoming) => void): void {
  window.addEventListener('message', (event: MessageEvent<Incoming>) => handler(event.data));
}
