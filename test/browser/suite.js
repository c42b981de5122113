/* global tf, tfa */
// In-page checks for the webgl kernels, driven by test/browser/*.test.ts.
// Loaded by page.html after tf.min.js and the browser bundle. Everything is
// exposed on window.tfaSuite and returns plain JSON-able results.
(() => {
  'use strict';

  const MIN_NORMAL = 1.1754943508222875e-38;
  /** The GPU backend under test: webgl, or webgpu with page.html?backend=webgpu. */
  const GPU = new URLSearchParams(location.search).get('backend') || 'webgl';
  /** Its CPU-forwarding flag (WEBGL_CPU_FORWARD, WEBGPU_CPU_FORWARD). */
  const CPU_FORWARD = `${GPU.toUpperCase()}_CPU_FORWARD`;
  /** Compiled programs so far (webgl's binary cache, webgpu's pipeline cache). */
  const programCount = b => Object.keys(GPU === 'webgpu' ? b.pipelineCache : b.binaryCache).length;
  const f32 = new Float32Array(1);
  const i32 = new Int32Array(f32.buffer);

  /** Integer position of a float32 on the number line (−0 and +0 coincide). */
  function ordinal(v) {
    f32[0] = v;
    const i = i32[0];
    return i < 0 ? -(i & 0x7fffffff) : i;
  }
  function fromOrdinal(o) {
    i32[0] = o < 0 ? (-o) | 0x80000000 : o;
    return f32[0];
  }
  const nextUp = v => fromOrdinal(ordinal(Math.fround(v)) + 1);
  const nextDown = v => fromOrdinal(ordinal(Math.fround(v)) - 1);

  /**
   * Distance in float32 ulps between a float32 result and a float64 truth.
   * NaN matches NaN only; results whose truth and value are both below the
   * smallest normal float32 count as equal (GPUs flush subnormals to zero).
   */
  function ulp(r, truth) {
    const t = Math.fround(truth);
    if (Number.isNaN(t) || Number.isNaN(r)) return Number.isNaN(t) && Number.isNaN(r) ? 0 : Infinity;
    if (!Number.isFinite(t) || !Number.isFinite(r)) return t === r ? 0 : Infinity;
    if (Math.abs(t) < MIN_NORMAL && Math.abs(r) < MIN_NORMAL) return 0;
    return Math.abs(ordinal(r) - ordinal(t));
  }

  function defOf(id) {
    const d = tfa.definitions.find(x => x.id === id);
    if (!d) throw new Error(`no definition ${id}`);
    return d;
  }

  /** The constants u of an elementwise activation for op options (defaults filled in). */
  function constantsOf(def, options) {
    const p = {};
    for (const s of def.params) p[s.name] = options[s.name] !== undefined ? options[s.name] : s.default;
    return def.constants ? def.constants(p) : [];
  }

  /**
   * The input set: [−12, 12] every 1/512, log-spaced magnitudes 1e−30..1e30
   * of both signs, ±1 ulp around the kinks, ±0, values near overflow,
   * ±Infinity and NaN.
   */
  function inputs(kinks) {
    const v = [];
    for (let i = -12 * 512; i <= 12 * 512; i++) v.push(i / 512);
    for (let i = 0; i <= 600; i++) {
      const m = Math.pow(10, -30 + 60 * i / 600);
      v.push(m, -m);
    }
    const points = [0, 0.5, 1, 1.5, 2, 3, 6, 9.1, 10, 10.6, 15, 17.5, 20, 40, 88.72, 100, 103.97, 170, 1e18, 1.8e19,
                    0.70710678, 0.34657359, 1.2784645, 0.7517915, 2.3993573, 1.1924312, 1.4185040, 2.2563765,
                    1.4905711, ...kinks];
    for (const k of points) {
      for (const s of [1, -1]) {
        const c = Math.fround(s * k);
        v.push(c, nextUp(c), nextDown(c));
      }
    }
    v.push(0, -0, 3.4028234663852886e38, -3.4028234663852886e38, 3e38, -3e38, 1e38, -1e38,
           Infinity, -Infinity, NaN, 1.401298464324817e-45, -1.401298464324817e-45, MIN_NORMAL, -MIN_NORMAL);
    return Float32Array.from(v);
  }

  /** Parameter variants per elementwise activation: [options, extra kinks]. */
  const VARIANTS = {
    relu: [[{}, []], [{negativeSlope: 0.1}, []], [{maxValue: 6}, []],
           [{negativeSlope: 0.2, maxValue: 4, threshold: 0.5}, [4, 0.5]]],
    leakyRelu: [[{}, []], [{negativeSlope: 0.3}, []]],
    elu: [[{}, []], [{alpha: 0.5}, []], [{alpha: 1.7}, []]],
    celu: [[{}, []], [{alpha: 0.5}, []], [{alpha: 1.7}, []]],
    softShrink: [[{}, []], [{threshold: 1.3}, [1.3]]],
    hardShrink: [[{}, []], [{threshold: 1.3}, [1.3]]],
    squareplus: [[{}, []], [{b: 0}, []], [{b: 0.3}, []], [{b: 1000}, []]],
    gelu: [[{}, []], [{approximate: true}, []]],
    threshold: [[{threshold: 0, defaultValue: 0}, []], [{threshold: 0.7, defaultValue: -2}, [0.7]]],
  };

  function elementwiseCases() {
    const cases = [];
    for (const def of tfa.definitions) {
      if (def.kind !== 'elementwise') continue;
      for (const [options, kinks] of VARIANTS[def.id] || [[{}, []]]) {
        cases.push({id: def.id, options, kinks});
      }
    }
    return cases;
  }

  /** Runs forward, order 1 and order 2 of one case on the current backend; returns the values. */
  function evaluate(c, xs) {
    const def = defOf(c.id);
    const u = constantsOf(def, c.options);
    return tf.tidy(() => {
      const x = tf.tensor1d(xs);
      const dy = tf.tensor1d(new Float32Array(xs.length).fill(1));  // values on the CPU, like x
      const fwd = tfa[def.id](x, c.options);
      const name = tfa.gradKernelName(def);
      const d1 = tf.engine().runKernel(name, {dy, x}, {u, order: 1});
      const d2 = def.second ? tf.engine().runKernel(name, {dy, x}, {u, order: 2}) : null;
      return [fwd.dataSync().slice(), d1.dataSync().slice(), d2 ? d2.dataSync().slice() : null];
    });
  }

  /**
   * GPUs treat subnormal inputs as zero (denormals-are-zero): for a subnormal
   * x, f(±0) is accepted as well as f(x).
   */
  function compare(values, truthFn, xs) {
    let max = 0, at = null, flushed = 0;
    for (let i = 0; i < xs.length; i++) {
      let t = truthFn(xs[i]);
      let e = ulp(values[i], t);
      if (e > 0 && xs[i] !== 0 && Math.abs(xs[i]) < MIN_NORMAL) {
        const t0 = truthFn(xs[i] > 0 ? 0 : -0);
        if (ulp(values[i], t0) < e) {
          t = t0;
          e = ulp(values[i], t0);
        }
      }
      if (Math.abs(Math.fround(t)) < MIN_NORMAL && Math.fround(t) !== 0 && values[i] !== Math.fround(t)) flushed++;
      if (e > max || (e === max && at === null && e > 0)) {
        max = e;
        at = {x: xs[i], got: values[i], want: Math.fround(t)};
      }
    }
    return {max, at, flushed};
  }

  /**
   * Every elementwise activation × parameter variant: webgl (packed and
   * unpacked programs) against the float64 scalar definitions, and against
   * the cpu backend in the same page.
   */
  async function elementwise() {
    const started = performance.now();
    const cases = elementwiseCases();
    const before = tf.memory();
    const out = [];
    const webgl = {packed: [], unpacked: []};
    await tf.setBackend(GPU);
    if (GPU === 'webgl') {
      const packDefault = tf.env().getBool('WEBGL_PACK_UNARY_OPERATIONS');
      for (const mode of ['packed', 'unpacked']) {
        tf.env().set('WEBGL_PACK_UNARY_OPERATIONS', mode === 'packed');
        for (const c of cases) webgl[mode].push(evaluate(c, inputs(c.kinks)));
      }
      tf.env().set('WEBGL_PACK_UNARY_OPERATIONS', packDefault);
    } else {
      // webgpu has one program per activation, variant and order: the same results serve both columns
      for (const c of cases) webgl.packed.push(evaluate(c, inputs(c.kinks)));
      webgl.unpacked = webgl.packed;
    }
    const afterWebgl = tf.memory();
    await tf.setBackend('cpu');
    const cpu = cases.map(c => evaluate(c, inputs(c.kinks)));
    await tf.setBackend(GPU);
    cases.forEach((c, k) => {
      const def = defOf(c.id);
      const u = constantsOf(def, c.options);
      const xs = inputs(c.kinks);
      const nan = f => v => (v === v ? f(v, u) : v);
      const truths = [nan(def.forward), nan(def.derivative), def.second ? nan(def.second) : null];
      const row = {id: c.id, options: c.options, n: xs.length};
      ['forward', 'd1', 'd2'].forEach((what, o) => {
        if (truths[o] === null) return;
        const w = webgl.packed[k][o], wu = webgl.unpacked[k][o], cp = cpu[k][o];
        let packedVsUnpacked = 0, cpuVsTruth = 0, vsCpu = 0;
        for (let i = 0; i < xs.length; i++) {
          packedVsUnpacked = Math.max(packedVsUnpacked, ulp(w[i], wu[i]));
          cpuVsTruth = Math.max(cpuVsTruth, ulp(cp[i], truths[o](xs[i])));
          let e = ulp(w[i], cp[i]);
          if (e > 0 && xs[i] !== 0 && Math.abs(xs[i]) < MIN_NORMAL) {
            e = Math.min(e, ulp(w[i], truths[o](xs[i] > 0 ? 0 : -0)));
          }
          vsCpu = Math.max(vsCpu, e);
        }
        row[what] = {
          truth: compare(w, truths[o], xs),
          unpacked: compare(wu, truths[o], xs).max,
          vsCpu,
          packedVsUnpacked,
          cpuVsTruth,
        };
      });
      out.push(row);
    });
    return {rows: out, ms: performance.now() - started,
            tensors: [before.numTensors, afterWebgl.numTensors, tf.memory().numTensors]};
  }

  /** Small inputs forwarded to the CPU (WEBGL_CPU_FORWARD) agree exactly with the cpu backend. */
  async function cpuForwarding() {
    await tf.setBackend(GPU);
    const xs = Float32Array.from([-3, -1.5, -0.5, -0, 0, 0.25, 1, 2.5, NaN, Infinity, -Infinity]);
    const cases = elementwiseCases();
    tf.env().set(CPU_FORWARD, true);
    const gl = cases.map(c => evaluate(c, xs));
    await tf.setBackend('cpu');
    const cpu = cases.map(c => evaluate(c, xs));
    await tf.setBackend(GPU);
    const mismatches = [];
    cases.forEach((c, k) => {
      for (let o = 0; o < 3; o++) {
        if (gl[k][o] === null) continue;
        for (let i = 0; i < xs.length; i++) {
          if (!Object.is(gl[k][o][i], cpu[k][o][i]) && ulp(gl[k][o][i], cpu[k][o][i]) !== 0) {
            mismatches.push({id: c.id, options: c.options, order: o, x: xs[i], gl: gl[k][o][i], cpu: cpu[k][o][i]});
          }
        }
      }
    });
    return {mismatches};
  }

  /**
   * GPU programs only: with CPU forwarding off, counts the reads of tensor
   * data back to the CPU (backend.readSync / read) and the shader programs
   * compiled, while the ops run (their results are read afterwards). Each
   * call runs twice with different parameter values on the same shape: the
   * second must compile nothing (parameters are uniforms).
   */
  async function gpuOnly() {
    await tf.setBackend(GPU);
    const backend = tf.backend();
    const forward = tf.env().getBool(CPU_FORWARD);
    tf.env().set(CPU_FORWARD, false);
    const reads = {n: 0};
    const {readSync, read} = backend;
    backend.readSync = function (...a) { reads.n++; return readSync.apply(this, a); };
    backend.read = function (...a) { reads.n++; return read.apply(this, a); };
    const programs = () => programCount(backend);
    const rows = [];
    try {
      const x4 = tf.tidy(() => tf.randomNormal([8, 6, 5, 4], 0, 3, 'float32', 7));
      const x1 = tf.tidy(() => tf.randomNormal([4096], 0, 3, 'float32', 8));
      const calls = [
        ['squareplus', x1, [{b: 4}, {b: 0.5}]],
        ['softShrink', x1, [{threshold: 0.5}, {threshold: 2}]],
        ['relu', x1, [{negativeSlope: 0.1, maxValue: 6, threshold: 0}, {negativeSlope: 0.3, maxValue: 2, threshold: 1}]],
        ['celu', x1, [{alpha: 1}, {alpha: 2.5}]],
        ['gelu', x1, [{approximate: false}, {approximate: false}]],
        ['softmax', x4, [{axis: 1}, {axis: 1}]],
        ['logSoftmax', x4, [{axis: [1, 2]}, {axis: [1, 2]}]],
        ['glu', x4, [{axis: -1}, {axis: -1}]],
        ['sparsemax', x4, [{axis: 2}, {axis: 2}]],
      ];
      for (const [id, x, variants] of calls) {
        const compiled = [];
        let readsDuring = 0;
        for (const options of variants) {
          const p0 = programs(), r0 = reads.n;
          const out = tf.tidy(() => {
            const f = t => tfa[id](t, options);
            const y = f(x);
            const dx = tf.grad(t => tf.sum(tf.mul(f(t), tf.onesLike(f(t)))))(x);
            return [y, dx];
          });
          readsDuring += reads.n - r0;
          compiled.push(programs() - p0);
          out.forEach(t => t.dispose());
        }
        rows.push({id, reads: readsDuring, compiled});
      }
      x4.dispose();
      x1.dispose();
    } finally {
      backend.readSync = readSync;
      backend.read = read;
      tf.env().set(CPU_FORWARD, forward);
    }
    return rows;
  }

  /**
   * Shader variants (which parameters are in use): each call runs twice with
   * other values of the same parameters; the second must compile nothing.
   * Also returns the webgpu pipeline keys of relu and gelu (a shaderKey per
   * variant) and, on webgl, whether a cached program holds the plain relu body.
   */
  async function variants() {
    await tf.setBackend(GPU);
    const backend = tf.backend();
    const forward = tf.env().getBool(CPU_FORWARD);
    tf.env().set(CPU_FORWARD, false);
    const x = tf.tidy(() => tf.randomNormal([3000], 0, 3, 'float32', 9));
    const calls = [
      ['relu', [{}, {}]],
      ['relu', [{negativeSlope: 0.1}, {negativeSlope: 0.3}]],
      ['relu', [{maxValue: 6}, {maxValue: 2.5}]],
      ['relu', [{threshold: 0.5}, {threshold: -1, negativeSlope: 0.2, maxValue: 3}]],
      ['gelu', [{approximate: false}, {}]],
      ['gelu', [{approximate: true}, {approximate: true}]],
    ];
    const rows = [];
    try {
      for (const [id, options] of calls) {
        const compiled = [];
        for (const o of options) {
          const p0 = programCount(backend);
          tf.tidy(() => {
            tfa[id](x, o);
            tf.grad(t => tfa[id](t, o))(x);
          });
          compiled.push(programCount(backend) - p0);
        }
        rows.push({id, options, compiled});
      }
    } finally {
      tf.env().set(CPU_FORWARD, forward);
      x.dispose();
    }
    const keys = GPU === 'webgpu' ? Object.keys(backend.pipelineCache).filter(k => /^tfa_(relu|gelu)_/.test(k)).map(k => k.split('_').slice(0, 4).join('_')) : [];
    const plainRelu = GPU === 'webgl' ? Object.keys(backend.binaryCache).some(k => k.includes('return x > 0.0 ? x : 0.0;')) : null;
    return {rows, keys: [...new Set(keys)].sort(), plainRelu};
  }

  // ---------------------------------------------------------------------------
  // Axis activations

  function seeded(seed) {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function randomValues(n, seed, scale = 3) {
    const r = seeded(seed);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const a = r(), b = r();
      v[i] = scale * Math.sqrt(-2 * Math.log(a + 1e-12)) * Math.cos(2 * Math.PI * b);
    }
    return v;
  }

  const AXIS_CASES = [
    {id: 'softmax', shape: [3, 5, 7], options: {axis: -1}},
    {id: 'softmax', shape: [3, 5, 7], options: {axis: 0}},
    {id: 'softmax', shape: [3, 5, 7], options: {axis: 1}},
    {id: 'softmax', shape: [3, 5, 7], options: {axis: [1, 2]}},
    {id: 'softmax', shape: [3, 5, 7], options: {axis: [0, 2]}},
    {id: 'softmax', shape: [3, 5, 7], options: {axis: null}},
    {id: 'softmax', shape: [4, 1000], options: {axis: -1}},
    {id: 'softmax', shape: [50, 40], options: {axis: null}, scale: 6},
    {id: 'logSoftmax', shape: [3, 5, 7], options: {axis: -1}},
    {id: 'logSoftmax', shape: [3, 5, 7], options: {axis: 0}},
    {id: 'logSoftmax', shape: [3, 5, 7], options: {axis: [0, 1]}},
    {id: 'logSoftmax', shape: [3, 5, 7], options: {axis: [0, 2]}},
    {id: 'logSoftmax', shape: [3, 5, 7], options: {axis: null}},
    {id: 'logSoftmax', shape: [4, 1000], options: {axis: -1}},
    {id: 'glu', shape: [4, 6, 8], options: {axis: -1}},
    {id: 'glu', shape: [4, 6, 8], options: {axis: 0}},
    {id: 'glu', shape: [4, 6, 8], options: {axis: 1}, scale: 30},
    {id: 'sparsemax', shape: [6, 9], options: {axis: -1}, scale: 0.5},
    {id: 'sparsemax', shape: [4, 6, 8], options: {axis: 1}, scale: 0.5},
    {id: 'sparsemax', shape: [3, 300], options: {axis: -1}, scale: 0.2, ties: true},
    {id: 'sparsemax', shape: [2, 2000], options: {axis: -1}, scale: 0.1, ties: true},
  ];

  /** Forward, gradient of Σ w·f(x), and the second-order term, on the current backend. */
  function axisEvaluate(c, k) {
    const def = defOf(c.id);
    const n = c.shape.reduce((a, b) => a * b, 1);
    const xv = randomValues(n, 1000 + k, c.scale || 3);
    if (c.ties) for (let i = 0; i < n; i += 7) xv[i] = xv[i + 3 < n ? i + 3 : i];
    if (c.id !== 'glu') xv[5] = NaN;  // one slice with a NaN
    return tf.tidy(() => {
      const x = tf.tensor(xv, c.shape);
      const y = tfa[def.id](x, c.options);
      const w = tf.tensor(randomValues(y.size, 2000 + k, 1), y.shape);
      const xClean = tf.where(tf.isNaN(x), tf.zerosLike(x), x);
      const f = t => tf.sum(tf.mul(tfa[def.id](t, c.options), w));
      const g = tf.grad(f)(xClean);
      // second order: d/dx of Σ v·∇f(x)
      const v = tf.tensor(randomValues(n, 3000 + k, 1), c.shape);
      const h = c.id === 'sparsemax' ? tf.zerosLike(x) : tf.grad(t => tf.sum(tf.mul(tf.grad(f)(t), v)))(xClean);
      return {x: Array.from(xv), y: Array.from(y.dataSync()), g: Array.from(g.dataSync()), h: Array.from(h.dataSync()),
              shape: y.shape};
    });
  }

  function errors(a, b) {
    let maxUlp = 0, maxAbs = 0, maxRel = 0, scale = 0;
    for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i]));
    for (let i = 0; i < a.length; i++) {
      const e = ulp(a[i], b[i]);
      maxUlp = Math.max(maxUlp, e);
      if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) {
        maxAbs = Infinity;
        continue;
      }
      if (Number.isNaN(a[i])) continue;
      maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
    }
    maxRel = scale > 0 ? maxAbs / scale : maxAbs;
    return {maxUlp, maxAbs, maxRel};
  }

  /** softmax, log_softmax, glu, sparsemax: webgl against the cpu backend, forward and gradients. */
  async function axis({cpuForward = false} = {}) {
    const started = performance.now();
    await tf.setBackend(GPU);
    tf.env().set(CPU_FORWARD, cpuForward);
    const before = tf.memory();
    const gl = AXIS_CASES.map(axisEvaluate);
    const mid = tf.memory();
    tf.env().set(CPU_FORWARD, true);
    await tf.setBackend('cpu');
    const cpu = AXIS_CASES.map(axisEvaluate);
    await tf.setBackend(GPU);
    const rows = AXIS_CASES.map((c, k) => {
      const def = defOf(c.id);
      // float64 reference from the definition's own cpu loops
      const {outer, n, inner} = layout(c.shape, c.options, def);
      const perm = permutation(c.shape, c.options, def);
      const xs = Float32Array.from(perm ? transposeArray(gl[k].x, c.shape, perm.perm) : gl[k].x);
      const outLen = def.halvesAxis ? xs.length / 2 : xs.length;
      const ref = new Float32Array(outLen);
      def.cpu.forward(xs, ref, outer, n, inner);
      const refY = perm ? transposeArray(Array.from(ref), perm.outShape, perm.inverse) : Array.from(ref);
      return {
        id: c.id, shape: c.shape, options: c.options, outShape: gl[k].shape,
        forwardVsRef: errors(gl[k].y, refY),
        forward: errors(gl[k].y, cpu[k].y),
        grad: errors(gl[k].g, cpu[k].g),
        second: errors(gl[k].h, cpu[k].h),
      };
    });
    return {rows, ms: performance.now() - started, tensors: [before.numTensors, mid.numTensors, tf.memory().numTensors]};
  }

  function resolveAxes(shape, options, def) {
    const rank = shape.length;
    const a = options.axis === undefined ? -1 : options.axis;
    const list = a === null ? shape.map((_, i) => i) : (Array.isArray(a) ? a : [a]);
    void def;
    return list.map(v => (v < 0 ? v + rank : v)).sort((p, q) => p - q);
  }
  function permutation(shape, options, def) {
    const axes = resolveAxes(shape, options, def);
    if (axes[axes.length - 1] - axes[0] === axes.length - 1) return null;
    const rest = shape.map((_, i) => i).filter(i => !axes.includes(i));
    const perm = [...rest, ...axes];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return {perm, inverse, outShape: perm.map(p => shape[p])};
  }
  function layout(shape, options, def) {
    let axes = resolveAxes(shape, options, def);
    let s = shape;
    const p = permutation(shape, options, def);
    if (p) {
      s = p.outShape;
      axes = axes.map((_, i) => shape.length - axes.length + i);
    }
    let outer = 1, n = 1, inner = 1;
    s.forEach((d, i) => {
      if (i < axes[0]) outer *= d;
      else if (i > axes[axes.length - 1]) inner *= d;
      else n *= d;
    });
    return {outer, n, inner};
  }
  function transposeArray(values, shape, perm) {
    const rank = shape.length;
    const outShape = perm.map(p => shape[p]);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const out = new Array(values.length);
    const idx = new Array(rank).fill(0);
    for (let k = 0; k < values.length; k++) {
      let src = 0;
      for (let d = 0; d < rank; d++) src += idx[d] * strides[perm[d]];
      out[k] = values[src];
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  /**
   * Inputs whose texture is shared with an offset (a contiguous slice) or
   * packed (a matMul output): every activation agrees with the cpu backend.
   */
  async function inputLayouts() {
    await tf.setBackend(GPU);
    const forward = tf.env().getBool(CPU_FORWARD);
    tf.env().set(CPU_FORWARD, false);
    const ops = ['softmax', 'logSoftmax', 'sparsemax', 'glu', 'mish', 'gelu', 'squareplus'];
    const gl = tf.tidy(() => {
      const big = tf.add(tf.tensor2d(randomValues(40 * 30, 77, 3), [40, 30]), 0);
      const inputs = {slice: tf.slice(big, [5, 0], [10, 30]), packed: tf.matMul(tf.slice(big, [0, 0], [30, 30]), tf.eye(30))};
      const r = {};
      for (const [name, t] of Object.entries(inputs)) {
        r[name] = {x: Array.from(t.dataSync()), shape: t.shape, y: {}};
        for (const op of ops) r[name].y[op] = Array.from(tfa[op](t).dataSync());
      }
      return r;
    });
    tf.env().set(CPU_FORWARD, forward);
    await tf.setBackend('cpu');
    const out = [];
    for (const [name, {x, shape, y}] of Object.entries(gl)) {
      tf.tidy(() => {
        const t = tf.tensor(x, shape);
        for (const op of ops) {
          const c = tfa[op](t).dataSync();
          let rel = 0, scale = 0;
          c.forEach(v => { scale = Math.max(scale, Math.abs(v)); });
          c.forEach((v, i) => { rel = Math.max(rel, Math.abs(v - y[op][i]) / scale); });
          out.push({input: name, op, rel});
        }
      });
    }
    await tf.setBackend(GPU);
    return out;
  }

  // ---------------------------------------------------------------------------
  // Training and save/load

  const FIT_ACTIVATIONS = ['squareplus', 'mish', 'celu', 'softShrink', 'hardSilu', 'gelu', 'logSigmoid'];

  function buildModel(seed) {
    const model = tf.sequential();
    model.add(tf.layers.dense({units: 16, inputShape: [8], activation: FIT_ACTIVATIONS[0],
                               kernelInitializer: tf.initializers.glorotUniform({seed})}));
    FIT_ACTIVATIONS.slice(1).forEach((a, k) => {
      model.add(tf.layers.dense({units: 16, activation: a, kernelInitializer: tf.initializers.glorotUniform({seed: seed + k + 1})}));
    });
    model.add(tf.layers.dense({units: 4, kernelInitializer: tf.initializers.glorotUniform({seed: seed + 99})}));
    model.add(tfa.layers.softmax({axis: -1}));
    return model;
  }

  /** One model.fit epoch on webgl and on cpu from the same weights: losses and weights agree. */
  async function fit() {
    const started = performance.now();
    const result = {};
    for (const backend of [GPU, 'cpu']) {
      await tf.setBackend(backend);
      const model = buildModel(7);
      model.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
      const xs = tf.tensor2d(randomValues(64 * 8, 11, 1), [64, 8]);
      const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({length: 64}, (_, i) => i % 4), 'int32'), 4));
      const before = model.getWeights().map(w => w.dataSync().slice());
      const h = await model.fit(xs, labels, {epochs: 2, batchSize: 32, shuffle: false, verbose: 0});
      const after = model.getWeights().map(w => w.dataSync().slice());
      let moved = 0;
      before.forEach((b, k) => b.forEach((v, i) => { moved = Math.max(moved, Math.abs(after[k][i] - v)); }));
      result[backend] = {loss: h.history.loss, moved, weights: after.map(a => Array.from(a))};
      xs.dispose();
      labels.dispose();
      model.optimizer.dispose();
      model.dispose();
    }
    await tf.setBackend(GPU);
    let maxRel = 0;
    // `webgl` in the result is the GPU backend under test
    if (GPU !== 'webgl') result.webgl = result[GPU];
    result.webgl.weights.forEach((w, k) => w.forEach((v, i) => {
      const c = result.cpu.weights[k][i];
      maxRel = Math.max(maxRel, Math.abs(v - c) / Math.max(1e-3, Math.abs(c)));
    }));
    return {webgl: {loss: result.webgl.loss, moved: result.webgl.moved}, cpu: {loss: result.cpu.loss, moved: result.cpu.moved},
            weightsMaxRel: maxRel, ms: performance.now() - started};
  }

  /** Save to indexeddb:// and load back on webgl: predictions are bit-identical. */
  async function saveLoad() {
    await tf.setBackend(GPU);
    const model = buildModel(21);
    const x = tf.tensor2d(randomValues(32 * 8, 5, 2), [32, 8]);
    const p1 = model.predict(x);
    const a = p1.dataSync().slice();
    await model.save('indexeddb://tfa-webgl-test');
    const loaded = await tf.loadLayersModel('indexeddb://tfa-webgl-test');
    const p2 = loaded.predict(x);
    const b = p2.dataSync().slice();
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
    const activations = loaded.layers.map(l => (l.getConfig().activation || l.getClassName()));
    [p1, p2, x].forEach(t => t.dispose());
    model.dispose();
    loaded.dispose();
    await tf.io.removeModel('indexeddb://tfa-webgl-test');
    return {n: a.length, differ, activations};
  }

  // ---------------------------------------------------------------------------
  // Keras golden fixtures (test/fixtures/*.json.gz): decoded in Node, run here.

  /** Float32 arrays cross the Playwright boundary as base64 (element-wise serialisation is slow). */
  function fromBase64(s) {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function toBase64(a) {
    const bytes = new Uint8Array(Float32Array.from(a).buffer);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }

  /**
   * Runs the cases of one fixture file on webgl (GPU programs: CPU
   * forwarding off): forward output and dx = ∂Σ(dy·f(x))/∂x through tf.grad.
   * x, dy and the results are base64 float32; `leaked` counts the tensors
   * left behind by the whole call.
   */
  async function fixture({activation, cases}) {
    await tf.setBackend(GPU);
    const forward = tf.env().getBool(CPU_FORWARD);
    tf.env().set(CPU_FORWARD, false);
    try {
      const def = tfa.lookup(activation);
      const before = tf.memory().numTensors;
      const outs = cases.map(c => tf.tidy(() => {
        // Elementwise cases are padded to one length, so that every case reuses the same
        // compiled programs (tfjs compiles per shape); padding does not change any element.
        const cx = fromBase64(c.x), cdy = fromBase64(c.dy);
        const n = cx.length;
        const pad = def.kind === 'elementwise' && n <= 4096 ? 4096 : n;
        const xs = new Float32Array(pad), dys = new Float32Array(pad === n ? cdy.length : pad);
        xs.set(cx);
        dys.set(cdy);
        const shape = pad === n ? c.shape : [pad], yShape = pad === n ? c.yShape : [pad];
        const x = tf.tensor(xs, shape);
        const dy = tf.tensor(dys, yShape);
        const f = t => tfa[def.id](t, c.params);
        const y = f(x);
        const dx = tf.grad(t => tf.sum(tf.mul(f(t), dy)))(x);
        return {y: toBase64(y.dataSync().slice(0, cdy.length)), dx: toBase64(dx.dataSync().slice(0, n))};
      }));
      const leaked = tf.memory().numTensors - before;
      return outs.map(o => ({...o, leaked}));
    } finally {
      tf.env().set(CPU_FORWARD, forward);
    }
  }

  /** Fetches and gunzips a JSON file in the page (DecompressionStream). */
  async function gunzipJson(url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const stream = res.body.pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }

  function info() {
    if (GPU === 'webgpu') {
      const a = tf.backend().adapterInfo;
      return {backend: tf.getBackend(), adapter: a ? JSON.stringify(a) : '', activations: tfa.definitions.length,
              webglVersion: 0, float32: true, renderer: '', packUnary: false};
    }
    const gl = tf.backend().gpgpu.gl;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return {
      backend: tf.getBackend(),
      webglVersion: tf.env().getNumber('WEBGL_VERSION'),
      float32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
      packUnary: tf.env().getBool('WEBGL_PACK_UNARY_OPERATIONS'),
      activations: tfa.definitions.length,
    };
  }

  function memory() {
    if (GPU === 'webgpu' && tf.getBackend() === 'webgpu' && tf.backend().commandEncoder) {
      // webgpu releases tensors disposed while queued work still used them when it submits the queue
      tf.backend().submitQueue();
    }
    const m = tf.memory();
    return {numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU};
  }

  /** Programs compiled so far by the GPU backend under test: all, and this package's own. */
  function programs() {
    const b = tf.backend();
    const keys = Object.keys(GPU === 'webgpu' ? b.pipelineCache : b.binaryCache);
    return {total: keys.length, ours: keys.filter(k => (GPU === 'webgpu' ? k.startsWith('tfa_') : k.includes('ta_isnan'))).length};
  }

  window.tfaSuite = {info, memory, programs, variants, elementwise, cpuForwarding, gpuOnly, axis, inputLayouts, fit, saveLoad, fixture, gunzipJson, ulp, inputs,
                     defOf, constantsOf};
})();
