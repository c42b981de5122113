/**
 * Smoke test of the benchmark (scripts/bench.mjs): a quick run on cpu at a
 * tiny size must produce a complete table, JSON and markdown. Timings never
 * decide anything here: only that every activation was measured.
 */
import {execFileSync} from 'child_process';
import {mkdtempSync, readFileSync, rmSync} from 'fs';
import {tmpdir} from 'os';
import {join} from 'path';
import {definitions} from '../src/catalogue';

const root = join(__dirname, '..');
const ids = definitions.map(d => d.id);

let dir: string;
let stdout: string;
/** The parts of results.json this test reads. */
interface Timed {
  ms: number;
}
interface ActivationRecord {
  forward: Record<string, Timed>;
  backward: Record<string, Timed>;
  inspect: {oursForward: {bytes: number; outBytes: number}; compositeForward: {kernels: number}};
  agreement: {forward: number; backward: number};
}
interface Results {
  backends: {cpu: {error?: string; sizes: Record<string, {activations: Record<string, ActivationRecord>}>}};
  options: object;
  machine: {cores: number};
  summary: {cpu: Record<string, Record<string, {fwdSpeedup: number; bwdSpeedup: number; targets: unknown[]}>>};
}

let results: Results;
let markdown: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfa-bench-test-'));
  const out = join(dir, 'results.json'),
    md = join(dir, 'benchmarks.md');
  stdout = execFileSync(
    process.execPath,
    [join(root, 'scripts', 'bench.mjs'), '--quick', '--backends', 'cpu', '--out', out, '--md', md],
    {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300000},
  );
  results = JSON.parse(readFileSync(out, 'utf8'));
  markdown = readFileSync(md, 'utf8');
}, 330000);

afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true});
});

test('prints a table with a row for every activation', () => {
  const header = stdout.split('\n').findIndex(l => l.startsWith('== cpu, 4K elements'));
  expect(header).toBeGreaterThanOrEqual(0);
  const rows = stdout
    .split('\n')
    .slice(header + 3, header + 3 + ids.length)
    .map(l => l.split(/\s+/)[0]);
  expect(rows.sort()).toEqual([...ids].sort());
  expect(stdout).toMatch(/targets cpu: \d+ met, \d+ missed/);
});

test('the JSON has every measurement of every activation', () => {
  const cpu = results.backends.cpu;
  expect(cpu.error).toBeUndefined();
  expect(results.options).toMatchObject({quick: true, backends: ['cpu']});
  expect(results.machine.cores).toBeGreaterThan(0);
  const size = cpu.sizes['4K'];
  expect(Object.keys(size.activations).sort()).toEqual([...ids].sort());
  for (const id of ids) {
    const rec = size.activations[id];
    for (const key of ['ours', 'composite', 'relu', 'copy', 'loop']) {
      expect({id, key, ms: rec.forward[key].ms}).toEqual({id, key, ms: expect.any(Number)});
    }
    for (const key of ['ours', 'composite', 'relu']) {
      expect({id, key, ms: rec.backward[key].ms}).toEqual({id, key, ms: expect.any(Number)});
    }
    // Bytes per forward call: the output only (or nothing new, for linear).
    const {bytes, outBytes} = rec.inspect.oursForward;
    expect({id, ok: bytes <= outBytes && outBytes > 0}).toEqual({id, ok: true});
    expect(rec.inspect.compositeForward.kernels).toBeGreaterThanOrEqual(1);
    // The composite computes the same function as this package's op.
    expect({id, forward: rec.agreement.forward < 1e-4, backward: rec.agreement.backward < 1e-4}).toEqual({
      id,
      forward: true,
      backward: true,
    });
    const a = results.summary.cpu['4K'][id];
    expect(a.fwdSpeedup).toEqual(expect.any(Number));
    expect(a.bwdSpeedup).toEqual(expect.any(Number));
    expect(a.targets.length).toBeGreaterThan(0);
  }
});

test('the markdown has the machine, the method and the table', () => {
  expect(markdown).toMatch(/## Machine/);
  expect(markdown).toMatch(/\d+ cores, /);
  expect(markdown).toMatch(/## cpu, 4K elements/);
  for (const id of ids) expect(markdown).toContain(`| ${id} |`);
});
