import { join } from 'node:path';
import { packageVsix as buildVsix } from '../../../scripts/package';

/** Packages the extension exactly as `npm run package` does, into `outDir`; returns the .vsix path. */
export function packageVsix(outDir: string): string {
  const out = join(outDir, 'robust-nas.vsix');
  buildVsix(out);
  return out;
}
