import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isomorphismKey, type Cell } from '../space';
import type { NtkJobOptions } from './pool';
import type { NtkResult } from './scores';

/** Bumped whenever the engine's numbers change (network, initialisation, attacks, summaries). */
export const NTK_ENGINE_VERSION = 1;

/** What makes two computations return the same numbers: the cell's isomorphism class plus every option. */
export function ntkCacheKey(cell: Cell, options: NtkJobOptions): string {
  const { variants, ...rest } = options;
  return JSON.stringify({ engine: NTK_ENGINE_VERSION, cls: isomorphismKey(cell), ...rest, variants: [...variants].sort() });
}

/**
 * Results on disk, one JSON file per key (hashed) under `dir`. Writes are atomic: a temporary file is written,
 * read back and parsed, then renamed over the target, so a crash never leaves a half-written entry. Unreadable
 * entries count as missing (and are recomputed and replaced).
 */
export class NtkResultCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  }

  get(key: string): NtkResult | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.file(key), 'utf8'), reviveNumbers) as { key: string; result: NtkResult };
      return entry.key === key ? entry.result : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, result: NtkResult): void {
    mkdirSync(this.dir, { recursive: true });
    const target = this.file(key);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    const text = JSON.stringify({ key, result }, replaceNumbers);
    writeFileSync(temp, text);
    if (readFileSync(temp, 'utf8') !== text) throw new Error(`NTK cache: ${temp} did not read back as written; disk full?`);
    renameSync(temp, target);
  }
}

/** JSON has no Infinity/NaN (a singular kernel's condition number is Infinity): encode them as strings. */
export function replaceNumbers(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

export function reviveNumbers(_key: string, v: unknown): unknown {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === 'NaN') return NaN;
  return v;
}
