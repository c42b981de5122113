import type {ActivationDefinition, ParamSpec, ParamValue, Params} from './definition';

/** A value as the user wrote it, for messages (BigInt, Map, functions and cycles included). */
export function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n (a BigInt; use a number)`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (v instanceof Map) return 'a Map';
  if (v instanceof Set) return 'a Set';
  if (Array.isArray(v)) return `[${v.map(describeValue).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    try {
      return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x));
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

/** Options and configs must be plain objects: `{b: 2}`, not `2`, a string, an array, a Map or a class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Levenshtein distance, for suggesting the nearest valid name. */
function distance(a: string, b: string): number {
  const d = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

/** The valid name nearest to `key` (case and underscores ignored first), if one is close enough. */
export function nearestName(key: string, valid: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '');
  let best: string | undefined,
    bestD = Infinity;
  for (const v of valid) {
    const dist = norm(v) === norm(key) ? 0 : distance(norm(key), norm(v));
    if (dist < bestD) {
      best = v;
      bestD = dist;
    }
  }
  return best !== undefined && bestD < key.length && bestD <= Math.max(1, Math.floor(key.length / 3))
    ? best
    : undefined;
}

function fail(def: ActivationDefinition, spec: ParamSpec, problem: string): never {
  throw new Error(`${def.keras}: parameter '${spec.name}' (Keras '${spec.keras}') ${problem}`);
}

function checkValue(def: ActivationDefinition, spec: ParamSpec, v: unknown): ParamValue {
  switch (spec.kind) {
    case 'boolean':
      if (typeof v !== 'boolean') fail(def, spec, `must be true or false, got ${describeValue(v)}`);
      return v;
    case 'axis':
      if (typeof v !== 'number' || !Number.isInteger(v))
        fail(def, spec, `must be an integer axis, got ${describeValue(v)}`);
      return v;
    case 'axes':
      if (v === null) return null;
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (Array.isArray(v) && v.length > 0 && v.every(a => typeof a === 'number' && Number.isInteger(a))) {
        return [...v] as number[];
      }
      return fail(def, spec, `must be an integer, a non-empty array of integers, or null, got ${describeValue(v)}`);
    case 'optionalNumber':
      if (v === null) return null;
    // falls through
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(
          def,
          spec,
          `must be a finite number${spec.kind === 'optionalNumber' ? ' or null' : ''}, got ${describeValue(v)}`,
        );
      }
      if (v !== 0 && Math.abs(v) < 1.1754943508222875e-38) {
        fail(
          def,
          spec,
          `must be 0 or at least 1.1754944e-38 in magnitude (a normal float32: tensorflow and GPUs ` +
            `flush subnormal values to 0), got ${v}`,
        );
      }
      const problem = spec.check?.(v);
      if (problem !== undefined) fail(def, spec, problem);
      return v;
    }
  }
}

/**
 * Validates op options, layer arguments and loaded configs (camelCase, or
 * Keras snake_case names) against the definition, fills in Keras's defaults
 * and rejects anything else: options that are not a plain object, unknown
 * keys (suggesting the nearest valid name), a parameter given in both
 * spellings, missing required parameters and values outside their range.
 * `where` says what the options came from, for messages ('layer config'...).
 */
export function normalizeParams(def: ActivationDefinition, options: unknown, where = 'options'): Params {
  if (options !== undefined && options !== null && !isPlainObject(options)) {
    const names = def.params.map(p => p.name);
    throw new Error(
      `${def.keras}: ${where} must be a plain object` +
        (names.length ? ` such as {${names.map(n => `${n}: ...`).join(', ')}}` : ' (it takes no parameters)') +
        `, got ${typeof options === 'object' ? describeValue(options) : `${typeof options} ${describeValue(options)}`}`,
    );
  }
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(options ?? {})) given[key] = (options as Record<string, unknown>)[key];
  const own = (key: string) => Object.prototype.hasOwnProperty.call(given, key);
  const out: Params = {};
  for (const spec of def.params) {
    let v: unknown = undefined;
    for (const key of new Set([spec.name, spec.keras])) {
      if (own(key) && given[key] !== undefined) {
        if (v !== undefined) fail(def, spec, `is given twice (as '${spec.name}' and '${spec.keras}'); give it once`);
        v = given[key];
      }
      delete given[key];
    }
    if (v === undefined) {
      if (!('default' in spec)) {
        throw new Error(
          `${def.keras}: parameter '${spec.name}' (Keras '${spec.keras}') is required ` +
            `(${def.keras} needs ${def.params.map(p => `'${p.name}'`).join(' and ')})`,
        );
      }
      v = spec.default;
    }
    out[spec.name] = checkValue(def, spec, v);
  }
  const unknown = Object.keys(given);
  if (unknown.length > 0) {
    const known = def.params.map(p => p.name);
    const valid = def.params.flatMap(p => [p.name, p.keras]);
    const hints = unknown.map(k => {
      const near = nearestName(k, valid);
      return near !== undefined ? `'${k}' (did you mean '${near}'?)` : `'${k}'`;
    });
    throw new Error(
      `${def.keras}: unknown parameter${unknown.length > 1 ? 's' : ''} ${hints.join(', ')}` +
        (where !== 'options' ? ` in its ${where}` : '') +
        (known.length ? ` (it takes ${known.map(k => `'${k}'`).join(', ')})` : ' (it takes none)'),
    );
  }
  return out;
}

/** Numeric constants of an elementwise activation for these parameters. */
export function constantsOf(def: ActivationDefinition, params: Params): number[] {
  return def.constants ? def.constants(params) : [];
}
