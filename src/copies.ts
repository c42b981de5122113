/**
 * Two copies of this package in one process (two versions side by side, or
 * one bundled twice) share tfjs's kernel, gradient and class registries. The
 * first copy registers; a later copy registers nothing, warns once in one
 * line naming the copy that won, and its ops and layers use the first
 * copy's kernels (kernel names are the same in every version).
 */
import {version} from './version';

interface CopyInfo {
  version: string;
  where: string;
}

const KEY = Symbol.for('tfjs-activations.registered');

/** Where this copy was loaded from (a file path or URL), as well as a stack trace tells. */
function location(): string {
  const stack = new Error().stack ?? '';
  const m = stack
    .split('\n')
    .slice(1)
    .map(l => /(?:\(|at )((?:file:\/\/|https?:\/\/|\/|[A-Za-z]:\\)[^):]+)/.exec(l))
    .find(r => r !== null);
  return m ? m[1] : 'an unknown location';
}

const self: CopyInfo = {version, where: location()};

let winner: CopyInfo | undefined;

/**
 * Claims the registries for this copy. Returns true for the copy that
 * registers (the first), false for a later one, which warns once.
 */
export function claimRegistration(): boolean {
  if (winner !== undefined) return winner === self;
  const g = globalThis as unknown as Record<symbol, CopyInfo | undefined>;
  const first = g[KEY];
  if (first === undefined) {
    g[KEY] = self;
    winner = self;
    return true;
  }
  winner = first;
  if (first === self) return true;
  console.warn(
    `tfjs-activations: another copy is already loaded (${first.version} from ${first.where}); it keeps ` +
      `its kernels, gradients and layer classes registered and this copy (${self.version} from ` +
      `${self.where}) uses them.`,
  );
  return false;
}
