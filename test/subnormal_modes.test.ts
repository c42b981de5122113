/**
 * The definitions' `subnormals` entries: a GPU program that reads subnormal
 * inputs the same way for every parameter value of its variant leaves the
 * per-element uniform test out (src/backends/variants.ts, subnormalRead).
 * An entry must agree with `readSubnormalsAsNormal` (src/subnormal.ts) for
 * every parameter set that runs that variant: the test variants and a grid
 * of values around the places where they matter (0, −0, subnormal and
 * normal boundaries, kinks, large values), each op option on its own and
 * all combined.
 */
import {definitions} from '../src';
import type {ElementwiseActivation, ParamSpec, Params} from '../src/definition';
import {constantsOf, normalizeParams} from '../src/params';
import {readSubnormalsAsNormal} from '../src/subnormal';
import {subnormalRead, variantOf} from '../src/backends/variants';
import {variantsOf} from './variants';

const GRID = [0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1.1754943508222875e-38, 1e-30, -1e-30, 0.1, 0.2, 0.5, -0.5, 1];
const MORE = [-1, 1.5, 2, -2, 2.5, 3, 6, 0.3, 100, -100, 1e30, -1e30];

/** Values to try for one option (null for an optional one); those its `check` rejects are left out. */
function candidates(p: ParamSpec): Array<number | null> {
  const vs: Array<number | null> = [...GRID, ...MORE].filter(v => p.check?.(v) === undefined);
  return p.kind === 'optionalNumber' ? [null, ...vs] : vs;
}

/** Every combination of the numeric options' candidates (defaults for the rest); invalid ones are skipped. */
function paramSets(def: ElementwiseActivation): Params[] {
  const numeric = def.params.filter(p => p.kind === 'number' || p.kind === 'optionalNumber');
  let sets: Array<Record<string, number | null>> = [{}];
  for (const p of numeric) sets = sets.flatMap(s => candidates(p).map(v => ({...s, [p.name]: v})));
  const out: Params[] = [];
  for (const options of [...variantsOf(def), ...sets]) {
    try {
      out.push(normalizeParams(def, options));
    } catch {
      // not a valid parameter set (e.g. a negative max_value)
    }
  }
  return out;
}

const declared = (definitions as readonly ElementwiseActivation[]).filter(
  d => d.kind === 'elementwise' && d.subnormals !== undefined,
);

test('the activations the bench holds to tf.relu declare how they read subnormals', () => {
  expect(declared.map(d => d.keras)).toEqual(expect.arrayContaining(['leaky_relu', 'relu', 'threshold']));
});

describe.each(declared.map(d => [d.keras, d] as const))('%s', (_name, def) => {
  const sets = paramSets(def).map(p => constantsOf(def, p));

  test('every declared variant is run by some parameter set', () => {
    const seen = new Set(sets.map(u => variantOf(def, u)));
    for (const v of Object.keys(def.subnormals!)) expect(seen).toContain(v);
  });

  test.each([0, 1, 2] as const)('order %i: the declaration holds for every parameter set of its variant', order => {
    const wrong: string[] = [];
    let fixed = 0;
    for (const u of sets) {
      const variant = variantOf(def, u);
      const d = def.subnormals![variant]?.[order];
      const needed = readSubnormalsAsNormal(def, order, u);
      if (d !== undefined && d !== needed) wrong.push(`${variant}: u = [${Array.from(u).join(', ')}] needs ${needed}`);
      if (subnormalRead(def, variant, order, needed) !== 'uniform') fixed++;
    }
    expect(wrong).toEqual([]);
    // the declarations are used: some programs of this order leave the uniform test out
    if (Object.values(def.subnormals!).some(r => r[order] !== undefined)) expect(fixed).toBeGreaterThan(0);
  });
});

test('activations without constants: the read is computed, never left to the uniform', () => {
  for (const def of definitions) {
    if (def.kind !== 'elementwise' || def.constants !== undefined) continue;
    for (const order of [0, 1, 2] as const) {
      const mode = subnormalRead(def, '', order, readSubnormalsAsNormal(def, order, []));
      expect(mode).toBe(readSubnormalsAsNormal(def, order, []) ? 'always' : 'never');
    }
  }
  // relu6's f′ jumps at 0 (a subnormal input is read as ±MIN_NORMAL), its f does not
  const relu6 = definitions.find(d => d.keras === 'relu6') as ElementwiseActivation;
  expect(subnormalRead(relu6, '', 0, readSubnormalsAsNormal(relu6, 0, []))).toBe('never');
  expect(subnormalRead(relu6, '', 1, readSubnormalsAsNormal(relu6, 1, []))).toBe('always');
});

test('a declaration that a call contradicts falls back to the uniform', () => {
  const relu = definitions.find(d => d.keras === 'relu') as ElementwiseActivation;
  expect(subnormalRead(relu, 'plain', 0, false)).toBe('never');
  expect(subnormalRead(relu, 'plain', 0, true)).toBe('uniform');
  expect(subnormalRead(relu, 'plain', 1, true)).toBe('always');
  expect(subnormalRead(relu, 'cap', 1, true)).toBe('uniform');
});
