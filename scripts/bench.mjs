// Benchmark: every activation, forward and backward, against the same
// activation composed from stock tfjs ops (autodiff for the backward), tfjs's
// own tf.relu, and (cpu) a plain Float32Array copy, on cpu and tensorflow in
// Node and on webgl in headless Chromium. Prints a table of ratios and checks
// the targets; a full run writes bench/results.json and docs/benchmarks.md.
//
//   npm run bench                                  # full run, 1M and 64K elements
//   node scripts/bench.mjs --quick --backends cpu  # tiny size, few repeats (smoke test)
//
// Options:
//   --size 1M,64K              element counts (K = 1024, M = 1024²); default 1M,64K (--quick: 4K)
//   --backends cpu,tensorflow,webgl,webgpu
//   --quick                    tiny size, few repeats; writes nothing unless --out/--md are given
//   --only mish,gelu           a subset of activations
//   --out FILE  --md FILE      where to write the JSON and the markdown (defaults for a full
//                              run: bench/results.json, docs/benchmarks.md); --no-write skips both
//   --from FILE                re-render a stored results.json (tables, targets, markdown) without measuring
//
// The backends run one after the other, each Node backend in its own process.
// Timings never decide anything but the targets table: misses are reported, not fatal.
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync} from 'node:fs';
import {cpus, tmpdir} from 'node:os';
import {dirname, join, relative} from 'node:path';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const core = require(join(root, 'bench', 'core.js'));

const KNOWN_BACKENDS = ['cpu', 'tensorflow', 'webgl', 'webgpu', 'wasm'];
const BIG = 1024 * 1024;

// ------------------------------------------------------------------ options

function parseArgs(argv) {
  const o = {quick: false, write: true};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const name = a.split('=')[0];
    if (name === '--quick') o.quick = true;
    else if (name === '--no-write') o.write = false;
    else if (name === '--size' || name === '--sizes') o.size = value();
    else if (name === '--backends' || name === '--backend') o.backends = value();
    else if (name === '--only') o.only = value();
    else if (name === '--out') o.out = value();
    else if (name === '--md') o.md = value();
    else if (name === '--from') o.from = value();
    else if (name === '--help' || name === '-h') o.help = true;
    else throw new Error(`unknown option ${a} (see the header of scripts/bench.mjs)`);
  }
  o.sizes = core.parseSizes(o.size ?? (o.quick ? '4K' : '1M,64K'));
  o.backends = (o.backends ?? KNOWN_BACKENDS.join(',')).split(',').filter(Boolean);
  for (const b of o.backends) {
    if (!KNOWN_BACKENDS.includes(b)) throw new Error(`unknown backend '${b}' (known: ${KNOWN_BACKENDS.join(', ')})`);
  }
  o.only = o.only ? o.only.split(',').filter(Boolean) : undefined;
  if (!o.write) o.out = o.md = undefined;
  else if (!o.quick) {
    o.out ??= join(root, 'bench', 'results.json');
    o.md ??= join(root, 'docs', 'benchmarks.md');
  }
  return o;
}

// ------------------------------------------------------------------ running

function runNodeBackend(backend, o) {
  const dir = mkdtempSync(join(tmpdir(), 'tfa-bench-'));
  const out = join(dir, `${backend}.json`);
  const args = [join(root, 'bench', 'node.cjs'), '--backend', backend, '--sizes', o.sizes.join(','), '--out', out];
  if (o.quick) args.push('--quick');
  if (o.only) args.push('--only', o.only.join(','));
  return new Promise(resolve => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {...process.env, TF_CPP_MIN_LOG_LEVEL: '2'},
    });
    let tail = '',
      pending = '';
    child.stderr.on('data', d => {
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const l of lines) {
        if (l.startsWith('[bench]')) process.stderr.write(l + '\n');
        else if (l.trim()) tail = (tail + l + '\n').slice(-2000);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (o.quick ? 5 : 20) * 60 * 1000);
    child.on('close', code => {
      clearTimeout(timer);
      let result;
      try {
        result = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        result = {backend, error: `runner exited with code ${code}: ${tail.trim().split('\n').slice(-3).join(' | ')}`};
      }
      rmSync(dir, {recursive: true, force: true});
      resolve(result);
    });
  });
}

async function runBackend(backend, o) {
  const t0 = Date.now();
  process.stderr.write(`[bench] ${backend}: starting\n`);
  let r;
  if (backend === 'webgl' || backend === 'webgpu') {
    const {runWebgl} = await import(join(root, 'bench', 'browser.mjs'));
    r = await runWebgl({
      sizes: o.sizes,
      quick: o.quick,
      only: o.only,
      backend,
      log: m => process.stderr.write(m + '\n'),
    });
  } else {
    r = await runNodeBackend(backend, o);
  }
  r.seconds = (Date.now() - t0) / 1000;
  process.stderr.write(
    `[bench] ${backend}: ${r.error ? 'unavailable: ' + r.error.split('\n')[0] : 'done'} ` +
      `in ${r.seconds.toFixed(0)} s\n`,
  );
  return r;
}

// ------------------------------------------------------------------ analysis

const ms = v => (v && !v.error && Number.isFinite(v.ms) ? v.ms : undefined);
const ratio = (a, b) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

/** Ratios and targets of one activation at one size on one backend. */
function analyse(backend, n, info, rec) {
  const f = rec.forward ?? {},
    b = rec.backward ?? {},
    ins = rec.inspect ?? {};
  const compKernels = ins.compositeForward?.kernels;
  const multiOp = compKernels !== undefined ? compKernels >= 2 : undefined;
  const a = {
    available: info.available,
    oursFwdMs: ms(f.ours),
    compFwdMs: ms(f.composite),
    reluFwdMs: ms(f.relu),
    copyMs: ms(f.copy),
    loopMs: ms(f.loop),
    oursBwdMs: ms(b.ours),
    compBwdMs: ms(b.composite),
    reluBwdMs: ms(b.relu),
    compositeKernels: compKernels,
    compositeBwdKernels: ins.compositeBackward?.kernels,
    oursBwdKernels: ins.oursBackward?.kernels,
    fwdSpeedup: ratio(ms(f.composite), ms(f.ours)),
    bwdSpeedup: ratio(ms(b.composite), ms(b.ours)),
    vsRelu: ratio(ms(f.ours), ms(f.relu)),
    vsCopy: ratio(ms(f.ours), ms(f.copy)),
    vsLoop: ratio(ms(f.ours), ms(f.loop)),
    bytesPerCall: ins.oursForward?.bytes,
    outBytes: ins.oursForward?.outBytes,
    peakBytes: ins.oursForward?.peakBytes,
    compositePeakBytes: ins.compositeForward?.peakBytes,
    nativeOps:
      ins.oursForward?.nativeOps !== undefined || ins.compositeForward?.nativeOps !== undefined
        ? {
            oursForward: ins.oursForward?.nativeOps,
            oursBackward: ins.oursBackward?.nativeOps,
            compositeForward: ins.compositeForward?.nativeOps,
            compositeBackward: ins.compositeBackward?.nativeOps,
          }
        : undefined,
    agreement: rec.agreement,
    targets: [],
  };
  const t = (name, value, op, limit) => {
    a.targets.push({
      name,
      value,
      limit,
      met: value === undefined ? null : op === '>=' ? value >= limit : value <= limit,
    });
  };
  if (!info.available) return a;
  if (backend === 'cpu') {
    if (multiOp) t('fwd ≥ 3× composite', a.fwdSpeedup, '>=', 3);
    else if (multiOp === false) t('fwd ≥ 1× tfjs kernel', a.fwdSpeedup, '>=', 1);
    if (info.piecewiseLinear) t('fwd ≤ 2.5× copy', a.vsCopy, '<=', 2.5);
    if (multiOp) t('bwd ≥ 2× autodiff', a.bwdSpeedup, '>=', 2);
    else if (multiOp === false) t('bwd ≥ 1× tfjs', a.bwdSpeedup, '>=', 1);
  } else if (backend === 'webgl') {
    if (n === BIG) {
      t('fwd ≤ 1.3× tf.relu', a.vsRelu, '<=', 1.3);
      if (multiOp) t('fwd ≥ 2× composite', a.fwdSpeedup, '>=', 2);
    }
  } else if (backend === 'webgpu') {
    if (n === BIG) {
      if (info.piecewiseLinear) t('fwd ≤ 1.5× tf.relu', a.vsRelu, '<=', 1.5);
      if (multiOp) t('fwd ≥ 2× composite', a.fwdSpeedup, '>=', 2);
    }
  } else if (backend === 'wasm') {
    t('fwd ≥ 1× composite', a.fwdSpeedup, '>=', 1);
    t('bwd ≥ 1× composite', a.bwdSpeedup, '>=', 1);
    if (info.piecewiseLinear) t('fwd ≤ 1.3× tf.relu', a.vsRelu, '<=', 1.3);
  } else if (backend === 'tensorflow') {
    // never slower than the stock composite, ≥ 2× one of two stock ops or more; at 64 elements, the
    // per-call overhead no more than tf.relu's
    t('fwd ≥ 1× composite', a.fwdSpeedup, '>=', 1);
    t('bwd ≥ 1× composite', a.bwdSpeedup, '>=', 1);
    if (multiOp && n >= 64 * 1024) {
      t('fwd ≥ 2× composite', a.fwdSpeedup, '>=', 2);
      t('bwd ≥ 2× composite', a.bwdSpeedup, '>=', 2);
    }
    if (n <= 64) t('fwd ≤ 1× tf.relu', a.vsRelu, '<=', 1);
  }
  if (a.bytesPerCall !== undefined) t('bytes/call ≤ output', a.bytesPerCall <= a.outBytes ? 1 : 0, '>=', 1);
  return a;
}

function summarise(results) {
  const summary = {};
  for (const [backend, r] of Object.entries(results)) {
    if (r.error) continue;
    summary[backend] = {};
    for (const [label, s] of Object.entries(r.sizes)) {
      summary[backend][label] = {};
      for (const [id, rec] of Object.entries(s.activations)) {
        summary[backend][label][id] = analyse(backend, s.n, r.activations[id], rec);
      }
    }
  }
  return summary;
}

// ------------------------------------------------------------------ output

const x = v => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const t = v => (v === undefined ? '–' : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3));

function targetCell(a) {
  if (!a.available) return 'not available yet';
  const missed = a.targets.filter(g => g.met === false).map(g => `MISSED ${g.name} (${x(g.value)})`);
  const met = a.targets.filter(g => g.met === true).length;
  if (!a.targets.length) return '–';
  return missed.length ? missed.join('; ') : `met (${met})`;
}

/** Rows of one backend at one size; `md` for markdown, otherwise fixed-width text. */
function table(backend, label, rows) {
  const node = backend !== 'webgl' && backend !== 'webgpu';
  const head = ['activation', 'fwd ms', 'composite ms', 'k', '×composite', '×relu'];
  if (backend === 'cpu') head.push('×copy', '×loop');
  head.push('bwd ms', 'autodiff ms', '×autodiff');
  if (backend === 'tensorflow') head.push('native ops f/b (composite)');
  head.push('bytes/fwd', 'targets');
  const body = Object.entries(rows).map(([id, a]) => {
    const r = [id, t(a.oursFwdMs), t(a.compFwdMs), a.compositeKernels ?? '–', x(a.fwdSpeedup), x(a.vsRelu)];
    if (backend === 'cpu') r.push(x(a.vsCopy), x(a.vsLoop));
    r.push(t(a.oursBwdMs), t(a.compBwdMs), x(a.bwdSpeedup));
    if (backend === 'tensorflow') {
      const n = a.nativeOps ?? {};
      r.push(
        `${n.oursForward ?? '–'}/${n.oursBackward ?? '–'} (${n.compositeForward ?? '–'}/${n.compositeBackward ?? '–'})`,
      );
    }
    r.push(
      a.bytesPerCall === undefined
        ? '–'
        : a.bytesPerCall === a.outBytes
          ? `${a.bytesPerCall} (out)`
          : a.bytesPerCall === 0
            ? '0 (input reused)'
            : `${a.bytesPerCall} ≠ ${a.outBytes}`,
    );
    r.push(targetCell(a));
    return r.map(String);
  });
  void node;
  return {head, body};
}

function textTable({head, body}) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map(r => r[i].length)));
  const line = r =>
    r
      .map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i])))
      .join('  ')
      .trimEnd();
  return [line(head), w.map(n => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function mdTable({head, body}) {
  const esc = c => c.replace(/\|/g, '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:')).join('|')}|`,
    ...body.map(r => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function machine(results) {
  let model = 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    /* not Linux */
  }
  const m = {cores: cpus().length, cpu: model, node: process.version};
  const tfPkg = JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8'));
  m.tfjs = tfPkg.version;
  const tfn = results.tensorflow?.meta;
  if (tfn?.tfjsNode) m.tfjsNode = tfn.tfjsNode;
  if (tfn?.libtensorflow) m.libtensorflow = tfn.libtensorflow;
  const w = results.webgl?.meta;
  if (w?.chromium) m.chromium = w.chromium;
  if (w?.renderer) m.webglRenderer = w.renderer;
  const g = results.webgpu?.meta;
  if (g?.chromium) m.chromium = g.chromium;
  if (g?.adapter) m.webgpuAdapter = g.adapter;
  return m;
}

function missedTargets(summary) {
  const out = [];
  for (const [backend, bySize] of Object.entries(summary)) {
    for (const [label, rows] of Object.entries(bySize)) {
      for (const [id, a] of Object.entries(rows)) {
        for (const g of a.targets)
          if (g.met === false) out.push({backend, size: label, activation: id, target: g.name, value: g.value});
      }
    }
  }
  return out;
}

function counts(summary) {
  const c = {};
  for (const [backend, bySize] of Object.entries(summary)) {
    let met = 0,
      missed = 0;
    for (const rows of Object.values(bySize)) {
      for (const a of Object.values(rows)) {
        for (const g of a.targets) {
          if (g.met === true) met++;
          else if (g.met === false) missed++;
        }
      }
    }
    c[backend] = {met, missed};
  }
  return c;
}

const METHOD = `Each activation runs on a float32 input drawn from N(0, 2²) (axis activations as [rows, 1024],
along the last axis; glu's output is half as long). Per backend and size the variants of one activation
are timed in interleaved rounds after a warm-up, each round starting one variant later than the last (so that
no variant always follows the same one, e.g. the JS copies whose garbage the next variant's allocations
pay for), each sample being a batch of calls sized to a few milliseconds, and the table shows the
**median time per call**:

- **fwd**: this package's op; **composite**: the same activation from stock tfjs ops (tfjs's own op or
  tfjs-layers activation where there is one: see the list below; \`k\` = kernels it launches);
  **relu**: \`tf.relu\` on the same input; **copy** (cpu): \`Float32Array.prototype.slice\` of the
  input, the memory floor of any kernel that allocates its output; **loop** (cpu): a plain JS
  element loop copying the input into a fresh Float32Array, the floor of any kernel written in JS.
- **bwd**: one \`tf.grad(f)(x, dy)\` call, i.e. forward plus backward as training runs them, for this
  package (fused forward and gradient kernels) and for the composite (tfjs autodiff).
- **×composite** = composite ms / fwd ms and **×autodiff** = autodiff ms / bwd ms (higher is better);
  **×relu** = fwd ms / relu ms, **×copy** = fwd ms / copy ms and **×loop** = fwd ms / loop ms (lower is better).
- **bytes/fwd**: \`tf.memory().numBytes\` after minus before one forward call: must be the output only (linear's output shares its input's buffer, as tfjs's Identity does, and tfjs counts it as a tensor of its own).
- **native ops** (tensorflow): launches of libtensorflow ops per call (this package / the composite,
  forward / tf.grad), counted by wrapping the N-API binding's \`executeOp\`, which the tfjs-node
  backend's \`executeSingleOutput\` and \`executeMultipleOutputs\` call and which this package's
  tensorflow kernels call directly.
- webgl: each sample ends by reading back one element of its last output, so it includes the
  GPU work (\`gl.finish()\` returns before SwiftShader has run the draws).

Targets: cpu: forward ≥ 3× a composite of two kernels or more and ≥ 1× tfjs's own single kernel;
piecewise-linear forwards ≤ 2.5× the copy; backward ≥ 2× autodiff through a multi-kernel composite
(≥ 1× where tfjs has its own kernel and gradient). webgl, at 1M elements: ≤ 1.3× tf.relu and ≥ 2× a
multi-kernel composite. webgpu, at 1M elements: piecewise-linear forwards ≤ 1.5× tf.relu, and ≥ 2× a
multi-kernel composite. tensorflow: never slower than the composite, forward and backward, ≥ 2× a composite of
two kernels or more (64K elements and up), and at 64 elements no slower than tf.relu (per-call overhead).`;

const med = a => {
  const v = a.filter(Number.isFinite).sort((p, q) => p - q);
  return v.length ? (v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : undefined;
};

/** Observations computed from this run (no numbers written by hand). */
/** Optimisations tried for the missed targets, and side measurements (not re-measured by this script). */
const TRIED = [
  "- cpu, all: each activation's element loop is compiled for its own scalar function (`new Function`), " +
    'so V8 inlines the function instead of calling it through a megamorphic site (2–5× faster than one shared ' +
    'loop); constants are read once per call; no closures or attribute lookups per element; linear returns its input.',
  '- cpu, piecewise-linear (≤ 2.5× copy): ternaries, Math.min/Math.max and branch-free forms (relu as ' +
    '0.5(x + |x|)) all run at the same speed on N(0, 2²) data. Standalone loops over 1M elements, output ' +
    'allocated as a kernel must (2026-12-01, medians of 21): slice 2.58 ms, copy loop 3.43 ms, hardTanh as ' +
    "ternaries 8.85 ms, as Math.min/max 8.73 ms, through the kernel's NaN test and inlined call 8.78 ms; relu " +
    '6.53 ms (ternary) and 6.73 ms (Math.max). The kernels are at the floor of a JS loop; only native code ' +
    '(the wasm backend, with SIMD) can approach the copy.',
  "- cpu, gelu (≥ 3× composite): Φ(x) from erf's rational forms, one exp in the erfc tail (instead of two), " +
    'the central interval without erfc. It costs about 35 ns per element, of which one Math.exp takes 13 ns ' +
    '(V8); the remaining cost is the region branches on random data. Fewer regions would need new minimax fits.',
  '- tensorflow (never slower than the composite): the composites are single float32 libtensorflow ops whose ' +
    'errors break the 4 ULP rule (Tanh 5, Sigmoid 6, Softplus 7, Erfc 63, Elu/Selu 8.6e8 ULP: ' +
    'docs/tensorflow-backend.md); the accurate chains cast to float64 and back, and each extra pass over the ' +
    'tensor costs more than the whole float32 op. Where a float32 op is accurate (Relu, Relu6, LeakyRelu, ' +
    'ClipByValue, Exp forward, Softsign) it is used as is, and those targets are met.',
  '- webgl and webgpu (≤ 1.3× / 1.5× tf.relu): shader variants by the parameters in use (relu with its defaults runs ' +
    'one compare, as tf.relu), exact thresholds as one compare against a precomputed bound (`ug`), and the NaN ' +
    "pass-through as a select after the body: the piecewise-linear activations run at tf.relu's speed (within noise). " +
    "The transcendental ones carry accurate exp/log/erfc built from + − × ÷ (4-ULP budget) where tfjs's kernels use " +
    'the built-ins; on SwiftShader, which emulates the GPU on a loaded CPU, that ALU work, not memory, sets the time.',
  "- webgl, before the variants (≤ 1.3× tf.relu): on SwiftShader the time follows the instruction count. relu with Keras's three " +
    'parameters (exact comparisons against float32 + remainder constants, NaN tests) takes 21.7 ms at 1M; ' +
    'rewritten with selects instead of early returns 19.2 ms; a bare `x > u.z ? x : 0.0` body 8.8 ms ' +
    '(1.17× tf.relu), so the cost is the exactness itself. Transcendental activations carry stable ' +
    'expm1/log1p/erfc in double-float arithmetic (GLSL ES 3.0 has none), which a GPU with real ALUs would ' +
    'hide behind memory traffic but SwiftShader cannot.',
];

function notes(res) {
  const out = [];
  const cpu = res.summary.cpu;
  if (cpu) {
    for (const [label, rows] of Object.entries(cpu)) {
      const loopOverCopy = med(Object.values(rows).map(a => ratio(a.loopMs, a.copyMs)));
      const pl = Object.entries(rows).filter(
        ([id]) => res.backends.cpu.activations[id].piecewiseLinear && id !== 'linear',
      );
      const vsLoop = med(pl.map(([, a]) => a.vsLoop));
      const reach =
        loopOverCopy > 2.5
          ? 'so the "≤ 2.5× copy" target is out of reach of any kernel written in JS here'
          : 'so the "≤ 2.5× copy" target is within reach of a JS kernel here';
      out.push(
        `- cpu, ${label}: a plain JS element loop that only copies into a fresh Float32Array takes ` +
          `${x(loopOverCopy)}× the native copy, ${reach}; the piecewise-linear kernels take ` +
          `${x(vsLoop)}× that loop (median, ×loop column).`,
      );
    }
  }
  const tf = res.summary.tensorflow;
  if (tf) {
    const rows = Object.values(tf)[0];
    const more = Object.values(rows).filter(
      a => a.nativeOps && a.nativeOps.oursForward > a.nativeOps.compositeForward,
    ).length;
    out.push(
      `- tensorflow: ${more} activations launch more native ops per forward call than their composite ` +
        '(native ops column): their kernels (src/backends/tensorflow.ts) cast to float64 and back to meet the ' +
        "accuracy budget where libtensorflow's float32 kernels are off by several ULP, and those launches " +
        "and passes cost more than the composite's float32 ops.",
    );
  }
  if (res.summary.webgl) {
    out.push(
      '- webgl runs on SwiftShader (the GPU is emulated on the CPU), so ratios there follow the ALU work of each ' +
        'shader; `tf.relu` is a packed shader (four values per texel) with one compare and multiply per value.',
    );
  }
  out.push(
    '- Ratios are medians of interleaved samples in one run; on a loaded 2-core machine a ratio within ' +
      '10–20% of its limit can land on either side in another run.',
  );
  return out;
}

function markdown(res) {
  const m = res.machine;
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by scripts/bench.mjs (npm run bench); edits are overwritten. -->',
    '',
    `Run of ${res.date.slice(0, 10)}, ${res.options.quick ? 'quick' : 'full'}, sizes ${res.options.sizes.map(core.sizeLabel).join(', ')}, ` +
      `${Math.round(res.seconds)} s.`,
    '',
    '## Machine',
    '',
    `- ${m.cores} cores, ${m.cpu}`,
    `- Node ${m.node}, tfjs ${m.tfjs}` +
      (m.tfjsNode ? `, tfjs-node ${m.tfjsNode} on libtensorflow ${m.libtensorflow}` : ''),
  ];
  if (m.chromium) lines.push(`- Chromium ${m.chromium} (headless), WebGL renderer: ${m.webglRenderer}`);
  if (m.webgpuAdapter) lines.push(`- WebGPU adapter: ${m.webgpuAdapter} (SwiftShader's Vulkan)`);
  lines.push('', '## Method', '', METHOD, '', '## Summary', '');
  for (const [backend, r] of Object.entries(res.backends)) {
    if (r.error) lines.push(`- **${backend}**: not available here: ${r.error.split('\n')[0]}`);
    else {
      const c = res.targetCounts[backend];
      const na = Object.values(r.activations).filter(a => !a.available).length;
      lines.push(
        `- **${backend}**: ${c.met} targets met, ${c.missed} missed` +
          (na ? `; ${na} activations not available yet on this backend` : '') +
          '.',
      );
    }
  }
  if (res.missed.length) {
    lines.push('', 'Missed:', '');
    for (const g of res.missed)
      lines.push(`- ${g.backend} ${g.size} ${g.activation}: ${g.target} (measured ${x(g.value)})`);
  }
  for (const [backend, bySize] of Object.entries(res.summary)) {
    for (const [label, rows] of Object.entries(bySize)) {
      lines.push('', `## ${backend}, ${label} elements`, '', mdTable(table(backend, label, rows)));
    }
  }
  lines.push('', '## Notes', '', ...notes(res));
  lines.push('', '## What was tried where targets are missed', '', ...TRIED);
  lines.push('', '## Composites', '', '| activation | composite from stock tfjs ops |', '|---|---|');
  const any = Object.values(res.backends).find(r => r.activations);
  if (any) for (const [id, a] of Object.entries(any.activations)) lines.push(`| ${id} | ${a.composite} |`);
  lines.push(
    '',
    'Every composite was checked against this package on the benchmark input (largest relative',
    'difference per backend in the bench/results.json a run writes, `agreement`).',
    '',
  );
  return lines.join('\n');
}

// ------------------------------------------------------------------ main

/** Older runs recorded the kernel names of every tf.grad call: long and not used. */
function stripBackwardKernelNames(r) {
  for (const size of Object.values(r.sizes ?? {})) {
    for (const rec of Object.values(size.activations)) {
      for (const k of ['oursBackward', 'compositeBackward']) if (rec.inspect?.[k]) delete rec.inspect[k].kernelNames;
    }
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0] + '\n');
    return;
  }
  let results, previous;
  const started = Date.now();
  if (o.from) {
    // Re-render the tables, targets, JSON and markdown from a stored run, measuring nothing.
    previous = JSON.parse(readFileSync(o.from, 'utf8'));
    results = previous.backends;
    for (const r of Object.values(results)) stripBackwardKernelNames(r);
  } else {
    const {buildPackage} = await import(join(root, 'scripts', 'build.mjs'));
    await buildPackage({log: m => process.stderr.write(`[bench] ${m}\n`)});
    results = {};
    for (const b of o.backends) results[b] = await runBackend(b, o);
  }
  const summary = summarise(results);
  const res = {
    date: previous?.date ?? new Date().toISOString(),
    seconds: previous?.seconds ?? (Date.now() - started) / 1000,
    options: previous?.options ?? {sizes: o.sizes, quick: o.quick, backends: o.backends, only: o.only ?? null},
    machine: previous?.machine ?? machine(results),
    summary,
    targetCounts: counts(summary),
    missed: missedTargets(summary),
    backends: results,
  };
  // The table.
  const out = [];
  for (const [backend, r] of Object.entries(results)) {
    if (r.error) {
      out.push(`\n== ${backend}: not available here: ${r.error.split('\n')[0]}`);
      continue;
    }
    for (const [label, rows] of Object.entries(summary[backend])) {
      out.push(
        `\n== ${backend}, ${label} elements (median ms per call; ×composite, ×autodiff: higher is better; ×relu, ×copy: lower is better)`,
      );
      out.push(textTable(table(backend, label, rows)));
    }
  }
  out.push('');
  for (const [backend, c] of Object.entries(res.targetCounts))
    out.push(`targets ${backend}: ${c.met} met, ${c.missed} missed`);
  for (const g of res.missed) out.push(`  missed: ${g.backend} ${g.size} ${g.activation}: ${g.target} (${x(g.value)})`);
  out.push(`total ${res.seconds.toFixed(0)} s`);
  process.stdout.write(out.join('\n') + '\n');
  if (o.out) {
    mkdirSync(dirname(o.out), {recursive: true});
    writeFileSync(o.out, JSON.stringify(res, null, 1) + '\n');
    process.stderr.write(`[bench] wrote ${relative(process.cwd(), o.out)}\n`);
  }
  if (o.md) {
    mkdirSync(dirname(o.md), {recursive: true});
    writeFileSync(o.md, markdown(res));
    process.stderr.write(`[bench] wrote ${relative(process.cwd(), o.md)}\n`);
  }
  // Keras import time (bench/keras-import.mjs, its own process; it writes bench/keras-import.json) on full
  // runs that write their results, not on subsets or --no-write runs
  if (!o.quick && !o.from && !o.only && o.out)
    await new Promise(r =>
      spawn(process.execPath, [join(root, 'bench', 'keras-import.mjs')], {stdio: 'inherit'}).on('exit', r),
    );
}

main().catch(e => {
  process.stderr.write(`${(e && e.stack) || e}\n`);
  process.exit(1);
});
