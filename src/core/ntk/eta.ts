/**
 * Time left in a long sweep. The rate is the mean over the classes finished in this run (not since the file was
 * started: a resumed run has its own speed), which is steady because every class of one configuration costs about
 * the same; with nothing finished yet the ETA is unknown.
 */
export function estimateSecondsLeft(elapsedSeconds: number, finished: number, remaining: number): number {
  if (remaining <= 0) return 0;
  if (finished <= 0 || !(elapsedSeconds > 0)) return Infinity;
  return (elapsedSeconds / finished) * remaining;
}

/** `42s`, `3m05s`, `2h07m`, `3d04h`; `?` when unknown (infinite or NaN), `0s` for negative values. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const t = Math.max(0, Math.round(seconds));
  const d = Math.floor(t / 86400);
  const h = Math.floor((t % 86400) / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  if (d) return `${d}d${String(h).padStart(2, '0')}h`;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
