// In-page checks for the wasm backend (tfjs-backend-wasm), driven by
// test/parity/backends.ts and test/browser/wasm.test.ts: the Keras fixtures,
// a fit against cpu, an indexeddb:// round trip and tf.memory().
(function () {
  'use strict';

  function fromBase64(s) {
    const bin = atob(s);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }
  function toBase64(a) {
    const bytes = new Uint8Array(Float32Array.from(a).buffer);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  }

  /** Runs fixture cases on wasm: y and dx = ∂Σ(dy·f(x))/∂x, base64 float32; `leaked` tensors of the call. */
  async function fixture({activation, cases}) {
    await tf.setBackend('wasm');
    const def = tfa.lookup(activation);
    const before = tf.memory().numTensors;
    const outs = cases.map(c =>
      tf.tidy(() => {
        const x = tf.tensor(fromBase64(c.x), c.shape);
        const dy = tf.tensor(fromBase64(c.dy), c.yShape);
        const f = t => tfa[def.id](t, c.params);
        const y = f(x);
        const dx = tf.grad(t => tf.sum(tf.mul(f(t), dy)))(x);
        return {y: toBase64(y.dataSync()), dx: toBase64(dx.dataSync())};
      }),
    );
    const leaked = tf.memory().numTensors - before;
    return outs.map(o => ({...o, leaked}));
  }

  function randomValues(n, seed, scale) {
    let s = seed >>> 0;
    return Float32Array.from({length: n}, () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return (s / 4294967296 - 0.5) * 2 * scale;
    });
  }

  function buildModel(seed) {
    const init = tf.initializers.glorotUniform({seed});
    const model = tf.sequential();
    model.add(
      tf.layers.dense({
        units: 16,
        inputShape: [8],
        kernelInitializer: init,
        activation: tfa.activationId('squareplus'),
      }),
    );
    model.add(tf.layers.dense({units: 16, kernelInitializer: init, activation: tfa.activationId('mish')}));
    model.add(tf.layers.dense({units: 16, kernelInitializer: init, activation: tfa.activationId('hard_tanh')}));
    model.add(tf.layers.dense({units: 4, kernelInitializer: init}));
    model.add(tfa.layers.softmax({axis: -1}));
    return model;
  }

  /** Two model.fit epochs on wasm and on cpu from the same weights: losses and weights agree; no tensor leaks. */
  async function fit() {
    const result = {};
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const model = buildModel(7);
      model.compile({optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy'});
      const xs = tf.tensor2d(randomValues(64 * 8, 11, 1), [64, 8]);
      const labels = tf.tidy(() =>
        tf.oneHot(
          tf.tensor1d(
            Array.from({length: 64}, (_, i) => i % 4),
            'int32',
          ),
          4,
        ),
      );
      await model.fit(xs, labels, {epochs: 1, batchSize: 32, shuffle: false, verbose: 0});
      const tensors = tf.memory().numTensors;
      const h = await model.fit(xs, labels, {epochs: 2, batchSize: 32, shuffle: false, verbose: 0});
      const leaked = tf.memory().numTensors - tensors;
      result[backend] = {loss: h.history.loss, leaked, weights: model.getWeights().map(w => Array.from(w.dataSync()))};
      xs.dispose();
      labels.dispose();
      model.optimizer.dispose();
      model.dispose();
    }
    await tf.setBackend('wasm');
    let maxRel = 0;
    result.wasm.weights.forEach((w, k) =>
      w.forEach((v, i) => {
        const c = result.cpu.weights[k][i];
        maxRel = Math.max(maxRel, Math.abs(v - c) / Math.max(1e-3, Math.abs(c)));
      }),
    );
    return {
      wasm: {loss: result.wasm.loss, leaked: result.wasm.leaked},
      cpu: {loss: result.cpu.loss},
      weightsMaxRel: maxRel,
    };
  }

  /** Save to indexeddb:// and load back on wasm: predictions are bit-identical. */
  async function saveLoad() {
    await tf.setBackend('wasm');
    const model = buildModel(21);
    const x = tf.tensor2d(randomValues(32 * 8, 5, 2), [32, 8]);
    const p1 = model.predict(x);
    const a = p1.dataSync().slice();
    await model.save('indexeddb://tfa-wasm-test');
    const loaded = await tf.loadLayersModel('indexeddb://tfa-wasm-test');
    const p2 = loaded.predict(x);
    const b = p2.dataSync().slice();
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
    [p1, p2, x].forEach(t => t.dispose());
    model.dispose();
    loaded.dispose();
    await tf.io.removeModel('indexeddb://tfa-wasm-test');
    return {n: a.length, differ};
  }

  function info() {
    return {
      backend: tf.getBackend(),
      simd: window.simd,
      wasmSimd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      wasmThreads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
      crossOriginIsolated: self.crossOriginIsolated === true,
      activations: tfa.definitions.length,
    };
  }

  function memory() {
    return {numTensors: tf.memory().numTensors};
  }

  window.tfaSuite = {info, memory, fixture, fit, saveLoad};
})();
