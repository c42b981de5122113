/**
 * The backend-agnostic half of the parity suite: fixture decoding and the
 * comparisons. No jest, no Node APIs: the browser harness runs it too.
 */
import {close, truthError} from '../float32';

export {truthError};

export interface FixtureCase {
  name: string;
  params: Record<string, unknown>;
  shape: number[];
  yShape: number[];
  x: Float32Array;
  dy: Float32Array;
  y32: Float32Array;
  y64: Float64Array;
  truth: Float64Array;
  dx32: Float32Array;
  dx64: Float64Array;
  dtruth: Float64Array;
  kinks: Set<number>;
}

export interface Fixture {
  activation: string;
  kind: 'elementwise' | 'axis';
  aliasOf?: string;
  cases: FixtureCase[];
}

function bytesOf(b64: string): Uint8Array {
  if (typeof atob === 'function') {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  throw new Error('no base64 decoder');
}

/** Decodes "f32:<base64>" / "f64:<base64>" (little-endian) arrays. */
export function decodeArray(s: string): Float32Array | Float64Array {
  const [kind, b64] = [s.slice(0, 3), s.slice(4)];
  const bytes = bytesOf(b64);
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (kind === 'f32') return new Float32Array(buf);
  if (kind === 'f64') return new Float64Array(buf);
  throw new Error(`unknown array kind ${kind}`);
}

/** A fixture file's parsed JSON → typed arrays. */
export function decodeFixture(doc: Record<string, unknown>): Fixture {
  const cases = (doc.cases as Array<Record<string, unknown>>).map(c => ({
    name: c.name as string,
    params: c.params as Record<string, unknown>,
    shape: c.shape as number[],
    yShape: (c.y_shape as number[] | undefined) ?? (c.shape as number[]),
    x: decodeArray(c.x as string) as Float32Array,
    dy: decodeArray(c.dy as string) as Float32Array,
    y32: decodeArray(c.y32 as string) as Float32Array,
    y64: decodeArray(c.y64 as string) as Float64Array,
    truth: decodeArray(c.truth as string) as Float64Array,
    dx32: decodeArray(c.dx32 as string) as Float32Array,
    dx64: decodeArray(c.dx64 as string) as Float64Array,
    dtruth: decodeArray(c.dtruth as string) as Float64Array,
    kinks: new Set(c.kinks as number[]),
  }));
  return {
    activation: doc.activation as string,
    kind: doc.kind as Fixture['kind'],
    aliasOf: doc.alias_of as string | undefined,
    cases,
  };
}

export interface Budget {
  forward: number;
  backward: number;
  /**
   * Axis activations only: a gradient element within this fraction of the
   * case's largest |dx| is accepted too (their gradients are sums that
   * cancel, so an ULP bound per element measures only that cancellation).
   */
  axisGradRel?: number;
}

export interface Failure {
  index: number;
  x: number;
  got: number;
  want: number;
  error: number;
}

export interface CaseReport {
  /** Max error against the truth (ULP), forward and gradient (kinks excluded). */
  maxUlp: number;
  maxUlpGrad: number;
  /**
   * Same measure for Keras's own float32 output on these inputs, over the
   * points where Keras is finite-error (see kerasWrong for the others).
   */
  kerasMaxUlp: number;
  kerasMaxUlpGrad: number;
  /**
   * Points where Keras's error is unbounded: NaN or ±inf against a finite
   * truth (or the reverse), or a flushed/overflowed value; forward and gradient.
   */
  kerasWrong: number;
  kerasWrongGrad: number;
  /** Points where ours and Keras float32 differ beyond Keras's tolerance while Keras is right. */
  kerasMismatches: Failure[];
  failures: Failure[];
  gradFailures: Failure[];
}

function worst(list: Failure[]): Failure[] {
  return list.sort((a, b) => b.error - a.error).slice(0, 5);
}

/**
 * Accepted alternatives at some indices: for a backend that reads subnormal
 * inputs as ±0, the exact outputs at ±0 there.
 */
export interface Alternatives {
  at: Set<number>;
  y: ArrayLike<number>;
  dx: ArrayLike<number>;
  /** The gradient just across 0 (a kink at 0 has two one-sided values, both acceptable there). */
  dxAcross: ArrayLike<number>;
}

/** Compares one backend's outputs on a fixture case. */
export function compareCase(
  c: FixtureCase,
  y: ArrayLike<number>,
  dx: ArrayLike<number>,
  budget: Budget,
  alt?: Alternatives,
): CaseReport {
  const r: CaseReport = {
    maxUlp: 0,
    maxUlpGrad: 0,
    kerasMaxUlp: 0,
    kerasMaxUlpGrad: 0,
    kerasWrong: 0,
    kerasWrongGrad: 0,
    kerasMismatches: [],
    failures: [],
    gradFailures: [],
  };
  const keras = (got: number, truth: number, grad: boolean) => {
    const e = truthError(got, truth);
    if (e === Infinity) {
      if (grad) r.kerasWrongGrad++;
      else r.kerasWrong++;
    } else if (grad) r.kerasMaxUlpGrad = Math.max(r.kerasMaxUlpGrad, e);
    else r.kerasMaxUlp = Math.max(r.kerasMaxUlp, e);
  };
  const elementwise = c.y32.length === c.x.length && c.shape.length === 1;
  for (let i = 0; i < y.length; i++) {
    const xi = elementwise ? c.x[i] : NaN;
    let e = truthError(y[i], c.truth[i]);
    if (alt?.at.has(i)) e = Math.min(e, truthError(y[i], alt.y[i]));
    r.maxUlp = Math.max(r.maxUlp, e);
    if (e > budget.forward) r.failures.push({index: i, x: xi, got: y[i], want: c.truth[i], error: e});
    keras(c.y32[i], c.truth[i], false);
    if (elementwise && Number.isNaN(xi)) continue; // NaN → NaN here; Keras's where() turns some into numbers
    if (alt?.at.has(i)) continue;
    // where Keras float32 is off the truth beyond its own tolerance, ours is held to the truth only
    if (close(c.y32[i], c.truth[i]) && !close(y[i], c.y32[i]))
      r.kerasMismatches.push({index: i, x: xi, got: y[i], want: c.y32[i], error: Math.abs(y[i] - c.y32[i])});
  }
  let scale = 0;
  if (!elementwise && budget.axisGradRel !== undefined) {
    for (let i = 0; i < c.dtruth.length; i++)
      if (Number.isFinite(c.dtruth[i])) scale = Math.max(scale, Math.abs(c.dtruth[i]));
  }
  for (let i = 0; i < dx.length; i++) {
    if (c.kinks.has(i)) continue;
    const xi = elementwise ? c.x[i] : NaN;
    let e = truthError(dx[i], c.dtruth[i]);
    if (alt?.at.has(i)) e = Math.min(e, truthError(dx[i], alt.dx[i]), truthError(dx[i], alt.dxAcross[i]));
    r.maxUlpGrad = Math.max(r.maxUlpGrad, e);
    const withinScale = scale > 0 && Math.abs(dx[i] - c.dtruth[i]) <= budget.axisGradRel! * scale;
    if (e > budget.backward && !withinScale)
      r.gradFailures.push({index: i, x: xi, got: dx[i], want: c.dtruth[i], error: e});
    keras(c.dx32[i], c.dtruth[i], true);
  }
  r.failures = worst(r.failures);
  r.gradFailures = worst(r.gradFailures);
  r.kerasMismatches = worst(r.kerasMismatches);
  return r;
}
