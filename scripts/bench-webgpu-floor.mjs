// The floor of the elementwise webgpu programs on this machine's WebGPU (SwiftShader's Vulkan in headless Chromium):
// WGSL programs written like this package's (a copy, soft_shrink's vec4 body, a long arithmetic body) in several
// layouts (workgroup size, vec4s per thread, consecutive or strided, bounds check, clamped indices, unrolled or a
// loop), next to tfjs's own kernels, soft_shrink's composite and this package's ops (dist/browser), interleaved round
// by round in one page (8 calls, then a one-element read). Prints the median ms per call; every custom program's
// output is checked against its reference first.
//   node scripts/bench-webgpu-floor.mjs [--set report|layouts|uniforms|heavy|scalar] [--size 1M] [--rounds 15] [--only a,b]
// Run it under the shared benchmark lock; `npm run build` first (it loads dist/browser).
import {createReadStream, existsSync} from 'node:fs';
import {createServer} from 'node:http';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';
import {CHROMIUM_ARGS, WEBGPU_ARGS} from './setup/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  '/node_modules/@tensorflow/tfjs/dist/tf.min.js',
  '/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js',
  '/dist/browser/tfjs-activations.min.js',
];
const arg = (name, d) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? d : process.argv[i + 1];
};
const size = /M$/.test(arg('size', '1M'))
  ? parseFloat(arg('size', '1M')) * 1048576
  : /K$/.test(arg('size', '1M'))
    ? parseFloat(arg('size')) * 1024
    : Number(arg('size'));
const rounds = Number(arg('rounds', 15));
const only = arg('only', '');
const set = arg('set', 'report');

const server = createServer((req, res) => {
  const p = new URL(req.url, 'http://127.0.0.1').pathname;
  if (p === '/') {
    res.writeHead(200, {'content-type': 'text/html'});
    res.end(`<!doctype html><body>${FILES.map(f => `<script src="${f}"></script>`).join('')}</body>`);
    return;
  }
  if (!FILES.includes(p) || !existsSync(join(root, p))) return void res.writeHead(404).end();
  res.writeHead(200, {'content-type': 'text/javascript'});
  createReadStream(join(root, p)).pipe(res);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS],
});
try {
  const page = await browser.newPage();
  page.on('console', m => console.log(m.text()));
  page.on('pageerror', e => console.log('[page error]', e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const out = await page.evaluate(inPage, {size, rounds, only, set});
  for (const [k, v] of Object.entries(out)) console.log(k.padEnd(34), typeof v === 'number' ? v.toFixed(3) : v);
} finally {
  await browser.close();
  server.close();
}

async function inPage({size, rounds, only, set}) {
  const tf = window.tf,
    tfa = window.tfa;
  await tf.setBackend('webgpu');
  await tf.ready();
  const b = tf.backend();
  const DECL = 'u : vec4<f32>, ul : vec4<f32>, ug : vec4<f32>, ta_z : f32,';
  const uniforms = t => [
    {type: 'float32', data: [t, 0, 0, 0]},
    {type: 'float32', data: [0, 0, 0, 0]},
    {type: 'float32', data: [t, 0, 0, 0]},
    {type: 'float32', data: [0]},
  ];
  const PRIV = `var<private> u: vec4<f32>; var<private> ul: vec4<f32>; var<private> ug: vec4<f32>; var<private> ta_z: f32;
fn ta_init() { u = uniforms.u; ul = uniforms.ul; ug = uniforms.ug; ta_z = uniforms.ta_z; }`;
  const BODIES = {
    copy: 'return x;',
    scopy: 'return x;',
    sshrink: `let y = select(select(0.0, (x + u.x) + ul.x, x < -ug.x), (x - u.x) - ul.x, x > ug.x);
      return select(y, x, (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u);`,
    heavy: 'var y = x; for (var k = 0; k < 6; k++) { y = y * tanh(log(1.0 + exp(y * 0.5))); } return y;',
    // soft_shrink reading the uniforms directly instead of the private copies ta_init makes
    shrinkU: `let g = vec4<f32>(uniforms.ug.x);
      let y = select(select(vec4<f32>(0.0), (x + uniforms.u.x) + uniforms.ul.x, x < -g), (x - uniforms.u.x) - uniforms.ul.x, x > g);
      return select(y, x, (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u));`,
    shrink: `let g = vec4<f32>(ug.x);
      let y = select(select(vec4<f32>(0.0), (x + u.x) + ul.x, x < -g), (x - u.x) - ul.x, x > g);
      return select(y, x, (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u));`,
  };
  // layouts: per = vec4s per thread; lay = 'strided' (i = t + j·T), 'consec' (i = t·per + j), 'grid' (fixed
  // number of workgroups, stride loop); check = 'each' | 'tail' (only threads past the last full block) | 'none'
  function makeProgram(
    key,
    {body, wg = 256, per = 1, lay = 'strided', check = 'each', groups = 0, acc = 'direct', scalar = false},
    n,
  ) {
    const n4 = scalar ? n : n / 4;
    const rd = i => (acc === 'helpers' ? `getXByOutputIndex(${i})` : `X[${i}]`);
    const wr = (i, v) => (acc === 'helpers' ? `setOutputAtIndex(${i}, ${v});` : `result[${i}] = ${v};`);
    let mainBody, threads;
    if (lay === 'grid') {
      threads = groups * wg;
      mainBody = `var i = index; let T = ${threads};
  loop { if (i >= uniforms.size) { break; } ${wr('i', `f4(${rd('i')})`)} i = i + T; }`;
    } else {
      threads = Math.ceil(n4 / per);
      const idx = j => (lay === 'strided' ? `index + ${j} * T` : `index * ${per} + ${j}`);
      const lines = [];
      for (let j = 0; j < per; j++) {
        const st = `{ let i = ${idx(j)}; ${wr('i', `f4(${rd('i')})`)} }`;
        if (check === 'loop') {
          if (j === 0)
            lines.push(
              `for (var j = 0; j < ${per}; j++) { let i = min(index * ${per} + j, uniforms.size - 1); ${wr('i', `f4(${rd('i')})`)} }`,
            );
          continue;
        }
        if (check === 'clamp') {
          lines.push(`{ let i = min(${idx(j)}, uniforms.size - 1); ${wr('i', `f4(${rd('i')})`)} }`);
          continue;
        }
        lines.push(
          check === 'each' ? `{ let i = ${idx(j)}; if (i < uniforms.size) { ${wr('i', `f4(${rd('i')})`)} } }` : st,
        );
      }
      const T = `let T = (uniforms.size + ${per - 1}) / ${per};`;
      if (check === 'tail') {
        // full threads: every i < size; the rest check each
        const checked = [];
        for (let j = 0; j < per; j++)
          checked.push(`{ let i = ${idx(j)}; if (i < uniforms.size) { ${wr('i', `f4(${rd('i')})`)} } }`);
        mainBody = `${T}
  if (index < uniforms.size / ${per}) { ${lines.join('\n')} } else if (index < T) { ${checked.join('\n')} }`;
      } else if (check === 'none') mainBody = `${T}\n${lines.join('\n')}`;
      else mainBody = `${T}\nif (index < T) { ${lines.join('\n')} }`;
    }
    const code = `${PRIV}
fn f4(x: ${scalar ? 'f32' : 'vec4<f32>'}) -> ${scalar ? 'f32' : 'vec4<f32>'} { ${body} }
fn main(index: i32) {
  ta_init();
  ${mainBody}
}`;
    return {
      shaderKey: key,
      variableNames: ['X'],
      outputShape: [n],
      workgroupSize: [wg, 1, 1],
      dispatchLayout: {x: [0]},
      dispatch: [Math.ceil(threads / wg), 1, 1],
      uniforms: DECL,
      size: true,
      outputComponent: scalar ? 1 : 4,
      variableComponents: [scalar ? 1 : 4],
      getUserCode: () => code,
    };
  }
  const x = tf.randomUniform([size], -2, 2);
  const xs = tf.randomUniform([size + 1], -2, 2);
  const cases = {};
  const custom = (name, cfg) => {
    const key = `floor_${Object.keys(cases).length}`;
    cases[name] = () => {
      // a new object per call: runWebGPUProgram appends to its shaderKey
      const n = cfg.scalar ? size + 1 : size;
      const p = makeProgram(key, {...cfg, body: BODIES[cfg.body ?? 'shrink']}, n);
      const out = b.makeTensorInfo([n], 'float32');
      b.runWebGPUProgram(p, [cfg.scalar ? xs : x], 'float32', uniforms(0.5), out);
      return tf.engine().makeTensorFromTensorInfo(out);
    };
  };
  // tfjs's kernels and this package's ops
  cases['tf.relu'] = () => tf.relu(x);
  cases['tf.clipByValue'] = () => tf.clipByValue(x, -0.5, 0.5);
  cases['tf.sub'] = () => tf.sub(x, x);
  cases['composite x - clip'] = () => tf.tidy(() => tf.sub(x, tf.clipByValue(x, -0.5, 0.5)));
  cases['tfa.softShrink'] = () => tfa.softShrink(x);
  cases['tfa.relu'] = () => tfa.relu(x);
  cases['tfa.hardTanh'] = () => tfa.hardTanh(x);
  if (set === 'report') {
    // the layout before (one vec4 per thread, bounds check) and now (4 consecutive vec4s, indices clamped)
    for (const body of ['copy', 'shrink']) {
      custom(`${body} before: p1 check`, {body});
      custom(`${body} now: p4 consec clamp`, {body, per: 4, lay: 'consec', check: 'clamp'});
    }
  }
  if (set === 'layouts') {
    for (const body of ['copy', 'shrink']) {
      custom(`${body} wg256 p1 check`, {body});
      custom(`${body} wg64 p1 check`, {body, wg: 64});
      custom(`${body} wg128 p1 check`, {body, wg: 128});
      custom(`${body} wg256 p1 none`, {body, check: 'none'});
      custom(`${body} wg256 p1 helpers`, {body, acc: 'helpers'});
      for (const per of [2, 4, 8]) {
        for (const lay of ['strided', 'consec'])
          for (const check of ['each', 'clamp', 'none'])
            custom(`${body} wg256 p${per} ${lay} ${check}`, {body, per, lay, check});
        custom(`${body} wg256 p${per} strided tail`, {body, per, check: 'tail'});
        custom(`${body} wg256 p${per} consec loop`, {body, per, lay: 'consec', check: 'loop'});
        custom(`${body} wg128 p${per} consec clamp`, {body, per, lay: 'consec', check: 'clamp', wg: 128});
        custom(`${body} wg64 p${per} consec clamp`, {body, per, lay: 'consec', check: 'clamp', wg: 64});
      }
      custom(`${body} grid64x256`, {body, lay: 'grid', groups: 64});
      custom(`${body} grid256x256`, {body, lay: 'grid', groups: 256});
    }
  }
  if (set === 'uniforms') {
    for (const body of ['shrink', 'shrinkU']) {
      custom(`${body} p1 check`, {body});
      custom(`${body} p4 consec clamp`, {body, per: 4, lay: 'consec', check: 'clamp'});
    }
  }
  if (set === 'heavy') {
    for (const per of [1, 2, 4])
      custom(`heavy wg256 p${per} consec clamp`, {body: 'heavy', per, lay: 'consec', check: 'clamp'});
    custom('heavy wg256 p4 consec loop', {body: 'heavy', per: 4, lay: 'consec', check: 'loop'});
  }
  if (set === 'scalar') {
    // sizes that are not a multiple of 4 (size + 1 elements)
    cases['tfa.softShrink odd'] = () => tfa.softShrink(xs);
    cases['composite odd'] = () => tf.tidy(() => tf.sub(xs, tf.clipByValue(xs, -0.5, 0.5)));
    for (const body of ['scopy', 'sshrink']) {
      custom(`${body} p8 strided check (before)`, {body, per: 8, scalar: true});
      for (const per of [4, 8, 16, 32])
        for (const lay of ['strided', 'consec'])
          custom(`${body} wg256 p${per} ${lay} clamp`, {body, per, lay, scalar: true, check: 'clamp'});
    }
  }
  const names = Object.keys(cases).filter(k => !only || only.split(',').some(o => k.includes(o)));
  // correctness of the custom programs against the composite / x
  const ref = {
    copy: await x.data(),
    shrink: await cases['composite x - clip']().data(),
    scopy: await xs.data(),
    sshrink: await tf.tidy(() => tf.sub(xs, tf.clipByValue(xs, -0.5, 0.5))).data(),
  };
  const out = {};
  for (const k of names) {
    const y = cases[k]();
    const v = await y.data();
    y.dispose();
    const r = k.startsWith('scopy')
      ? ref.scopy
      : k.startsWith('sshrink') || k.endsWith('odd')
        ? ref.sshrink
        : k.startsWith('heavy')
          ? null
          : k.startsWith('copy')
            ? ref.copy
            : k.startsWith('shrink') || k.includes('oftShrink') || k.startsWith('composite')
              ? ref.shrink
              : null;
    if (r) {
      let bad = 0;
      for (let i = 0; i < v.length; i++) if (v[i] !== r[i]) bad++;
      if (bad) out[`${k} MISMATCH`] = bad;
    }
  }
  const sync = async t => {
    const one = tf.slice(t, [0], [1]);
    await one.data();
    one.dispose();
  };
  const K = 8;
  const samples = Object.fromEntries(names.map(k => [k, []]));
  for (let r = 0; r < rounds + 2; r++) {
    for (const k of names) {
      const t0 = performance.now();
      for (let i = 1; i < K; i++) cases[k]().dispose();
      const y = cases[k]();
      await sync(y);
      y.dispose();
      if (r >= 2) samples[k].push((performance.now() - t0) / K);
    }
  }
  const med = a => {
    const s = a.slice().sort((p, q) => p - q);
    return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  for (const k of names) out[k] = med(samples[k]);
  out['tensors left'] = tf.memory().numTensors;
  return out;
}
