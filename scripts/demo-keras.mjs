// Demo part two (run by scripts/demo.mjs): a model trained and saved by Keras
// 3.15.1 (LSTM and GRU with hard_sigmoid, GRU with reset_after=True, Dense and
// Activation 'hard_sigmoid') imported from its .keras file with
// tfa.loadKerasModel, its predictions printed next to Keras's own.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function kerasDemo({tf, tfa, file = 'j_hard_sigmoid_rnn'}) {
  const dir = join(root, 'test', 'fixtures', 'models');
  const io = JSON.parse(readFileSync(join(dir, `${file}.io.json`), 'utf8'));
  const f32 = s => {
    const b = Buffer.from(s.slice(4), 'base64');
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const t0 = Date.now();
  const model = await tfa.loadKerasModel(join(dir, `${file}.keras`));
  const ms = Date.now() - t0;
  const kinds = [...new Set(model.layers.map(l => l.getClassName()))].join(', ');
  console.log(
    `\nImported test/fixtures/models/${file}.keras (saved by Keras 3.15.1) on ${tf.getBackend()} in ${ms} ms: ` +
      `${model.countParams()} parameters; layers ${kinds}`,
  );
  const x = tf.tensor(f32(io.inputs[0].data), io.inputs[0].shape);
  const y = model.predict(x);
  const got = Array.from(y.dataSync());
  const want = Array.from(f32(io.outputs[0].data));
  const cols = io.outputs[0].shape[1];
  console.log(
    `${'sample'.padEnd(8)}${'output'.padEnd(8)}${'tfjs'.padStart(14)}${'Keras'.padStart(14)}${'|Δ|'.padStart(11)}`,
  );
  let max = 0;
  got.forEach((v, i) => {
    const d = Math.abs(v - want[i]);
    max = Math.max(max, d);
    console.log(
      `${String(Math.floor(i / cols)).padEnd(8)}${String(i % cols).padEnd(8)}${v.toFixed(7).padStart(14)}` +
        `${want[i].toFixed(7).padStart(14)}${d.toExponential(1).padStart(11)}`,
    );
  });
  console.log(`max |tfjs − Keras| = ${max.toExponential(2)}`);
  tf.dispose([x, y]);
  model.dispose();
  return max;
}
