/**
 * C++ text for the native op library's float32 forms, written from the same
 * numbers that the GLSL and WGSL bodies use (src/backends/glsl_math.ts's
 * fits), so that a definition holds each coefficient once.
 */
import type {Root} from './glsl_math';

/** A JS number rounded to float32, as a C++ float literal (9 significant digits: that float32 exactly). */
export function cppFloat(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`cppFloat: ${v} is not a finite float32`);
  const a = Math.abs(f);
  const s = a !== 0 && (a < 1e-3 || a >= 1e7) ? f.toExponential(8) : f.toPrecision(9);
  if (Math.fround(Number(s)) !== f) throw new Error(`cppFloat: ${s} does not round to ${f}`);
  return `${s}f`;
}

/**
 * `float rootfix_<name>(float x, float direct)` in C++: near the given roots
 * (windows (a, b)), (x − r)·Q(x) with r as a float32 pair (x − r_hi is exact
 * there, by Sterbenz) and Q's Horner steps as fused multiply-adds (rounded
 * once: the same bits on every CPU path), otherwise `direct`. Every branch is
 * computed and selected, so the loops that inline it stay vector loops.
 */
export function cppRootfix(name: string, roots: readonly Root[]): string {
  const fits = roots.map((r, k) => {
    const c = r.c;
    const steps = c
      .slice(1, -1)
      .map(v => `  p${k} = __builtin_fmaf(p${k}, t${k}, ${cppFloat(v)});`)
      .join('\n');
    return {
      text: `  const float d${k} = (x - ${cppFloat(r.rh)}) - ${cppFloat(r.rl)};
  const float t${k} = (x - ${cppFloat(r.m)}) * ${cppFloat(r.ih)};
  float p${k} = ${cppFloat(c[0])};
${steps}
  p${k} = __builtin_fmaf(p${k}, t${k}, ${cppFloat(r.lo)}) + ${cppFloat(c[c.length - 1])};`,
      select: `x > ${cppFloat(r.a)} && x < ${cppFloat(r.b)} ? d${k} * p${k}`,
    };
  });
  return `
TFA_ALWAYS_INLINE float rootfix_${name}(float x, float direct) {
${fits.map(f => f.text).join('\n')}
  return ${fits.map(f => `${f.select} : `).join('')}direct;
}
`;
}
