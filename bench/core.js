/*
 * Benchmark core, shared by the Node runner (cpu, tensorflow) and the browser
 * page (webgl). Plain ES2019 with no imports: in Node it is `require`d, in the
 * page it is a script tag that defines the global `tfaBench`. The caller hands
 * in `tf` (tfjs with gradients), `tfa` (this package) and the backend name.
 *
 * For every activation and size it measures, interleaving the variants round
 * by round (each round starting one variant later) so that drift and the
 * previous variant's garbage hit them alike, and keeps the median per call:
 *   forward group:  ours, the stock-tfjs composite, tf.relu, (cpu) a Float32Array copy and a JS copy loop
 *   backward group: tf.grad of ours, of the composite (autodiff), of tf.relu
 * and once per variant, outside the timed loops: kernels launched (tf.profile),
 * bytes allocated per call (tf.memory().numBytes delta) and, when the caller
 * gives a counter, native op launches per call.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.tfaBench = factory();
})(typeof globalThis !== 'undefined' ? globalThis : this, function () {
  'use strict';

  /** Size of the axis for softmax, log_softmax, sparsemax and glu. */
  const AXIS_COLS = 1024;

  /**
   * The same activations from stock tfjs ops, from each definition's `bench`
   * entry (src/activations/*.ts): tfjs's own op or tfjs-layers activation
   * where there is one, otherwise the Keras formula written with
   * differentiable tfjs ops. Every function runs inside tf.tidy, so only its
   * output survives.
   */
  function composites(tf, tfa) {
    const out = {};
    for (const def of tfa.definitions) {
      const c = def.bench && def.bench.composite;
      if (c) out[def.id] = {what: c.what, fn: (x, xs) => c.fn(tf, x, xs), needsDetached: c.needsDetached === true};
    }
    return out;
  }

  const now = () => performance.now();

  function copyLoop(src, out) {
    for (let i = 0; i < src.length; i++) out[i] = src[i];
  }

  function median(a) {
    const s = a.slice().sort((p, q) => p - q);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  function disposeAll(r) {
    if (r == null) return;
    if (Array.isArray(r)) r.forEach(disposeAll);
    else if (typeof r.dispose === 'function') r.dispose();
  }

  /** Parses '1M', '64K', '4096', '1M,64K'. */
  function parseSizes(s) {
    return String(s)
      .split(',')
      .filter(Boolean)
      .map(p => {
        const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(p);
        if (!m) throw new Error(`bad size '${p}' (use e.g. 1M, 64K, 4096)`);
        const mult = {'': 1, k: 1024, m: 1024 * 1024}[m[2].toLowerCase()];
        return Math.round(Number(m[1]) * mult);
      });
  }

  function sizeLabel(n) {
    if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)}M`;
    if (n % 1024 === 0) return `${n / 1024}K`;
    return String(n);
  }

  /** Shape of the benchmark input: flat, or [rows, cols] for axis activations. */
  function shapeFor(def, n) {
    if (def.kind !== 'axis') return [n];
    const cols = Math.max(2, Math.min(AXIS_COLS, n - (n % 2)));
    return [Math.max(1, Math.floor(n / cols)), cols];
  }

  /**
   * Waits until `result` is computed (`sync` reads back one element of it on
   * an asynchronous backend; work runs in order, so all earlier calls are done
   * too), then disposes it.
   */
  async function finish(result, sync) {
    try {
      if (result != null) await sync(Array.isArray(result) ? result[0] : result);
    } finally {
      disposeAll(result);
    }
  }

  /**
   * Times a group of variants, interleaved. Each variant: {key, run} where
   * run() performs one call and returns what to dispose. Returns
   * {key: {ms, samples, callsPerSample}} (ms = median time per call).
   */
  async function timeGroup(variants, o) {
    const live = [];
    for (const v of variants) {
      if (v.error) continue;
      try {
        // Warm up (JIT, shader compilation, layouts); the last call sets the batch size.
        const t0 = now();
        let calls = 0,
          per;
        do {
          const t1 = now();
          await finish(v.run(), o.sync);
          per = Math.max(now() - t1, 1e-3);
          calls++;
        } while (
          (calls < o.warmCalls || now() - t0 < o.warmMs) &&
          now() - t0 < o.warmMaxMs &&
          !(o.slowCallMs && per > o.slowCallMs)
        );
        v.k = Math.max(1, Math.min(o.maxCallsPerSample, Math.ceil(o.sampleMs / per)));
        v.per = per;
        v.samples = [];
        live.push(v);
      } catch (e) {
        v.error = String((e && e.message) || e).split('\n')[0];
      }
    }
    // As many rounds as fit in the budget, within [minReps, maxReps]; the
    // fewest (slowMinReps) when even minReps rounds would take twice the budget.
    const round = live.reduce((s, v) => s + v.per * v.k, 0);
    const minReps = o.slowMinReps && round * o.minReps > 2 * o.budgetMs ? o.slowMinReps : o.minReps;
    const reps = Math.max(minReps, Math.min(o.maxReps, Math.floor(o.budgetMs / Math.max(round, 1e-3))));
    for (let r = 0; r < reps && live.length; r++) {
      for (let j = 0; j < live.length; j++) {
        const v = live[(j + r) % live.length];
        const t0 = now();
        for (let i = 1; i < v.k; i++) disposeAll(v.run());
        await finish(v.run(), o.sync);
        v.samples.push((now() - t0) / v.k);
      }
    }
    const out = {};
    for (const v of variants) {
      out[v.key] = v.error ? {error: v.error} : {ms: median(v.samples), reps: v.samples.length, callsPerSample: v.k};
    }
    return out;
  }

  /** Largest |a − b| / max(1, |b|) between two outputs: the composite computes the same function. */
  function maxDiff(a, b) {
    try {
      const va = a.dataSync(),
        vb = b.dataSync();
      let m = 0;
      for (let i = 0; i < va.length; i++) {
        const d = Math.abs(va[i] - vb[i]) / Math.max(1, Math.abs(vb[i]));
        if (d > m || d !== d) m = d;
      }
      return m;
    } catch (e) {
      return String((e && e.message) || e).split('\n')[0];
    }
  }

  /**
   * One call under tf.profile: kernels launched, tf.memory().numBytes delta
   * (what the call leaves allocated: its output only), peak bytes above the
   * starting point, native op launches when a counter is given. Returns the
   * record and the call's output (the caller disposes it).
   */
  async function inspect(tf, run, countNative, names) {
    const r = {};
    let y = null;
    try {
      const before = tf.memory().numBytes;
      const n0 = countNative ? countNative() : 0;
      const info = await tf.profile(() => run());
      y = info.result;
      if (countNative) r.nativeOps = countNative() - n0;
      r.bytes = tf.memory().numBytes - before;
      r.outBytes = y ? y.size * 4 : 0;
      r.peakBytes = info.peakBytes - before;
      r.kernels = info.kernels.length;
      if (names) r.kernelNames = info.kernels.map(k => k.name);
    } catch (e) {
      r.error = String((e && e.message) || e).split('\n')[0];
    }
    return {r, y};
  }

  /**
   * Runs the benchmark on the current backend.
   * opts: {tf, tfa, backend, sizes: number[], quick, only?: string[], copy: bool,
   *        sync?: (t) => void|Promise, countNative?: () => number, log?: (msg) => void,
   *        slow?: bool (few fixed samples, no relu gradient), budgetScale?: number}
   */
  async function run(opts) {
    const {tf, tfa, backend} = opts;
    const log = opts.log || (() => {});
    const sync = opts.sync || (() => {});
    const comps = composites(tf, tfa);
    const defs = tfa.definitions.filter(d => !opts.only || opts.only.includes(d.id) || opts.only.includes(d.keras));
    const scale = opts.budgetScale || 1;
    const result = {backend, sizes: {}, activations: {}};
    for (const def of defs) {
      result.activations[def.id] = {
        keras: def.keras,
        kind: def.kind,
        // forward piecewise linear: target within 2.5× of a Float32Array copy on cpu
        piecewiseLinear: Boolean(def.bench && def.bench.piecewiseLinear),
        composite: comps[def.id] ? comps[def.id].what : null,
        available:
          tf.getKernel(tfa.kernelName(def), backend) != null && tf.getKernel(tfa.gradKernelName(def), backend) != null,
      };
    }
    for (const n of opts.sizes) {
      const label = sizeLabel(n);
      const big = n >= 512 * 1024;
      let o, og;
      if (opts.quick) {
        o = og = {
          warmCalls: 2,
          warmMs: 0,
          warmMaxMs: 50,
          sampleMs: 1,
          maxCallsPerSample: 4,
          minReps: 3,
          maxReps: 3,
          budgetMs: 0,
          sync,
        };
      } else if (opts.slow) {
        // A backend where one call at 1M takes 30 ms to 1 s (webgl on SwiftShader): the first
        // call compiles the shaders, then a fixed number of samples.
        o = {
          warmCalls: 2,
          warmMs: 0,
          warmMaxMs: 0,
          sampleMs: 20,
          maxCallsPerSample: 50,
          minReps: 5,
          maxReps: 5,
          budgetMs: 0,
          sync,
        };
        og = Object.assign({}, o, {warmCalls: 1, minReps: 4, maxReps: 4});
      } else {
        // The first calls of a kernel run before V8 has optimised its loop; a call
        // slower than slowCallMs is optimised by its end (on-stack replacement).
        o = {
          warmCalls: 3,
          warmMs: big ? 100 : 40,
          warmMaxMs: 1500,
          slowCallMs: 150,
          sampleMs: big ? 8 : 4,
          maxCallsPerSample: 200,
          minReps: 5,
          slowMinReps: 3,
          maxReps: 25,
          budgetMs: (big ? 700 : 350) * scale,
          sync,
        };
        og = Object.assign({}, o, {budgetMs: o.budgetMs * 1.5});
      }
      const bySize = (result.sizes[label] = {n, activations: {}});
      const t0 = now();
      for (const def of defs) {
        const rec = (bySize.activations[def.id] = {});
        const info = result.activations[def.id];
        const shape = shapeFor(def, n);
        const total = shape.reduce((a, b) => a * b, 1);
        const params = def.bench ? def.bench.params : undefined;
        const comp = comps[def.id];
        const ours = x => tfa[def.id](x, params);
        // Each variant gets its own input (same values), so a backend's
        // layout conversions (webgl packing) are charged to the variant that needs them.
        const x0 = tf.tidy(() => tf.randomNormal(shape, 0, 2, 'float32', 7));
        const values = x0.dataSync();
        const input = () => tf.tensor(values, shape, 'float32');
        const xOurs = input(),
          xComp = input(),
          xRelu = input(),
          xDetached = input();
        const xOursG = input(),
          xCompG = input(),
          xReluG = input();
        const yShape = def.halvesAxis ? [shape[0], shape[1] / 2] : shape;
        const dy = tf.tidy(() => tf.randomNormal(yShape, 0, 1, 'float32', 11));
        const dyRelu = def.halvesAxis ? tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', 11)) : dy;
        const compFn = comp.needsDetached ? x => comp.fn(x, xDetached) : x => comp.fn(x, x);
        const compTidy = x => tf.tidy(() => compFn(x));
        const gOurs = tf.grad(ours),
          gComp = tf.grad(compFn),
          gRelu = tf.grad(x => tf.relu(x));
        const fwd = [
          {key: 'ours', run: () => ours(xOurs), error: info.available ? undefined : 'not available yet'},
          {key: 'composite', run: () => compTidy(xComp)},
          {key: 'relu', run: () => tf.relu(xRelu)},
        ];
        let sink;
        if (opts.copy) {
          const src = values.slice();
          fwd.push({
            key: 'copy',
            run: () => {
              sink = src.slice();
              return null;
            },
          });
          // The floor of any plain-JS kernel: an element loop into a fresh Float32Array.
          fwd.push({
            key: 'loop',
            run: () => {
              sink = new Float32Array(src.length);
              copyLoop(src, sink);
              return null;
            },
          });
        }
        const bwd = [
          {key: 'ours', run: () => gOurs(xOursG, dy), error: info.available ? undefined : 'not available yet'},
          {key: 'composite', run: () => gComp(xCompG, dy)},
        ];
        if (!opts.slow) bwd.push({key: 'relu', run: () => gRelu(xReluG, dyRelu)});
        try {
          rec.forward = await timeGroup(fwd, o);
          rec.backward = await timeGroup(bwd, og);
          rec.elements = total;
          rec.inspect = {};
          rec.agreement = {};
          for (const [dir, o1, c1] of [
            ['Forward', () => ours(xOurs), () => compTidy(xComp)],
            ['Backward', () => gOurs(xOursG, dy), () => gComp(xCompG, dy)],
          ]) {
            const names = dir === 'Forward';
            const mine = info.available ? await inspect(tf, o1, opts.countNative, names) : {r: null, y: null};
            const theirs = await inspect(tf, c1, opts.countNative, names);
            rec.inspect['ours' + dir] = mine.r;
            rec.inspect['composite' + dir] = theirs.r;
            if (mine.y && theirs.y) rec.agreement[dir.toLowerCase()] = maxDiff(mine.y, theirs.y);
            disposeAll([mine.y, theirs.y]);
          }
        } finally {
          [x0, xOurs, xComp, xRelu, xDetached, xOursG, xCompG, xReluG, dy, dyRelu].forEach(t => t.dispose());
        }
        if (sink && sink.length !== values.length) throw new Error('copy sink');
        const f = rec.forward,
          b = rec.backward;
        const fmt = r => (r.error ? 'n/a' : r.ms < 1 ? r.ms.toFixed(3) : r.ms.toFixed(2));
        log(
          `${backend} ${label} ${def.id}: fwd ours ${fmt(f.ours)} ms, composite ${fmt(f.composite)} ms; ` +
            `grad ours ${fmt(b.ours)} ms, composite ${fmt(b.composite)} ms`,
        );
      }
      bySize.seconds = (now() - t0) / 1000;
    }
    return result;
  }

  return {run, parseSizes, sizeLabel, composites, AXIS_COLS};
});
