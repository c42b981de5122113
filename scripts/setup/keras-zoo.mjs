// Makes the large Keras model zoo (MobileNetV3Small and EfficientNetB0 built
// by real Keras with weights=None, several MB each, so not committed) available
// to the import tests and the bench, in .cache/keras-zoo/ (gitignored).
//
// Idempotent and fast once done: a stamp keyed on the zoo's generator and the
// pinned requirements says whether the files match; otherwise it runs
// `bash scripts/golden/run.sh --large` (which sets up the pinned Keras venv).
//
//   node scripts/setup/keras-zoo.mjs
//   import {ensureKerasZoo} from './setup/keras-zoo.mjs';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KERAS_ZOO_DIR = join(root, '.cache', 'keras-zoo');
const MODELS = ['mobilenet_v3_small', 'efficientnet_b0'];

function stamp() {
  const h = createHash('sha256');
  for (const f of ['scripts/golden/zoo.py', 'scripts/golden/requirements.txt']) h.update(readFileSync(join(root, f)));
  return h.digest('hex');
}

export async function ensureKerasZoo({log = console.log} = {}) {
  const stampFile = join(KERAS_ZOO_DIR, '.stamp');
  const want = stamp();
  const complete = MODELS.every(
    m => existsSync(join(KERAS_ZOO_DIR, `${m}.keras`)) && existsSync(join(KERAS_ZOO_DIR, `${m}.io.json`)),
  );
  if (complete && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === want) return KERAS_ZOO_DIR;
  log('generating the large Keras model zoo in .cache/keras-zoo/ (real Keras, about a minute)');
  const r = spawnSync('bash', [join(root, 'scripts/golden/run.sh'), '--large'], {cwd: root, stdio: 'inherit'});
  if (r.status !== 0) throw new Error(`keras-zoo: scripts/golden/run.sh --large failed (exit ${r.status})`);
  writeFileSync(stampFile, want + '\n');
  return KERAS_ZOO_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await ensureKerasZoo());
}
