import type {ActivationDefinition, ParamSpec, ParamValue, Params} from './definition';

function fail(def: ActivationDefinition, spec: ParamSpec, problem: string): never {
  throw new Error(`${def.keras}: parameter '${spec.name}' (Keras '${spec.keras}') ${problem}`);
}

function checkValue(def: ActivationDefinition, spec: ParamSpec, v: unknown): ParamValue {
  switch (spec.kind) {
    case 'boolean':
      if (typeof v !== 'boolean') fail(def, spec, `must be true or false, got ${String(v)}`);
      return v;
    case 'axis':
      if (typeof v !== 'number' || !Number.isInteger(v)) fail(def, spec, `must be an integer axis, got ${String(v)}`);
      return v;
    case 'axes':
      if (v === null) return null;
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (Array.isArray(v) && v.length > 0 && v.every(a => typeof a === 'number' && Number.isInteger(a))) {
        return [...v] as number[];
      }
      return fail(def, spec, `must be an integer, a non-empty array of integers, or null, got ${JSON.stringify(v)}`);
    case 'optionalNumber':
      if (v === null) return null;
    // falls through
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(def, spec, `must be a finite number${spec.kind === 'optionalNumber' ? ' or null' : ''}, got ${String(v)}`);
      }
      const problem = spec.check?.(v);
      if (problem !== undefined) fail(def, spec, problem);
      return v;
    }
  }
}

/**
 * Validates op options (camelCase, or Keras snake_case names) against the
 * definition, fills in Keras's defaults and rejects unknown or missing ones.
 */
export function normalizeParams(def: ActivationDefinition, options: object | undefined): Params {
  const given = {...(options ?? {})} as Record<string, unknown>;
  const out: Params = {};
  for (const spec of def.params) {
    let v: unknown = undefined;
    for (const key of new Set([spec.name, spec.keras])) {
      if (given[key] !== undefined) {
        if (v !== undefined) fail(def, spec, `is given twice (as '${spec.name}' and '${spec.keras}')`);
        v = given[key];
      }
      delete given[key];
    }
    if (v === undefined) {
      if (!('default' in spec)) {
        throw new Error(`${def.keras}: parameter '${spec.name}' (Keras '${spec.keras}') is required ` +
                        `(${def.keras} needs ${def.params.map(p => `'${p.name}'`).join(' and ')})`);
      }
      v = spec.default;
    }
    out[spec.name] = checkValue(def, spec, v);
  }
  const unknown = Object.keys(given);
  if (unknown.length > 0) {
    const known = def.params.map(p => p.name);
    throw new Error(`${def.keras}: unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map(k => `'${k}'`).join(', ')}` +
                    (known.length ? ` (it takes ${known.map(k => `'${k}'`).join(', ')})` : ' (it takes none)'));
  }
  return out;
}

/** Numeric constants of an elementwise activation for these parameters. */
export function constantsOf(def: ActivationDefinition, params: Params): number[] {
  return def.constants ? def.constants(params) : [];
}
