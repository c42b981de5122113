#!/usr/bin/env node
// tfjs-activations command line.
//
//   npx tfjs-activations convert <model.keras|model.h5> <outDir>
//
// Writes outDir/model.json and weight shards (tfjs layers-model format) that
// tf.loadLayersModel loads once tfjs-activations is imported, and prints a
// summary. Needs @tensorflow/tfjs-core, @tensorflow/tfjs-layers and a CPU
// backend (@tensorflow/tfjs-backend-cpu, or @tensorflow/tfjs).
import {mkdirSync, writeFileSync} from 'node:fs';
import {join, resolve} from 'node:path';

const USAGE = 'usage: tfjs-activations convert <model.keras|model.h5> <outDir>';

function fail(message, code = 1) {
  process.stderr.write(`tfjs-activations: ${message}\n`);
  process.exit(code);
}

async function cpuBackend() {
  const tf = await import('@tensorflow/tfjs-core');
  for (const m of ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs']) {
    try {
      await import(m);
      break;
    } catch {
      // try the next one
    }
  }
  tf.env().set('PROD', true); // no console banners: this is a command line
  if (!(await tf.setBackend('cpu').catch(() => false))) {
    fail('no CPU backend: install @tensorflow/tfjs-backend-cpu (or @tensorflow/tfjs)');
  }
  return tf;
}

function fmt(n) {
  return n.toLocaleString('en-US');
}

async function convert(input, outDir) {
  await cpuBackend();
  const tfa = await import('../dist/esm/index.js');
  const t0 = Date.now();
  const {modelJSON, shards, report} = await tfa.convertKerasModel(resolve(input));
  mkdirSync(outDir, {recursive: true});
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(modelJSON));
  let bytes = 0;
  for (const s of shards) {
    writeFileSync(join(outDir, s.name), s.data);
    bytes += s.data.length;
  }
  const counts = new Map();
  for (const l of report.layers) counts.set(l.kerasClass, (counts.get(l.kerasClass) ?? 0) + 1);
  const mapped = report.layers.filter(
    l => l.tfjsClass !== l.kerasClass && l.kerasClass !== 'Sequential' && l.kerasClass !== 'Functional',
  );
  const lines = [
    `converted ${input} (Keras ${report.kerasVersion || '?'}, ${report.format === 'keras' ? '.keras archive' : 'legacy .h5'}) ` +
      `in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    `  layers      ${report.layers.length}: ${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c}×${n}`)
      .join(', ')}`,
    `  parameters  ${fmt(report.params)}`,
    `  activations ${report.activations.join(', ') || '(none)'}`,
  ];
  const byTarget = new Map();
  for (const l of mapped) {
    const k = `${l.kerasClass} → ${l.tfjsClass}`;
    byTarget.set(k, [...(byTarget.get(k) ?? []), l.path.join('/')]);
  }
  if (byTarget.size > 0) {
    lines.push('  mapped');
    for (const [k, names] of byTarget) {
      lines.push(`    ${k}: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`);
    }
  }
  const notes = [...new Set([...report.notes, ...report.layers.flatMap(l => l.notes)])];
  if (notes.length > 0) {
    lines.push('  notes');
    for (const n of notes.slice(0, 8)) lines.push(`    ${n}`);
    if (notes.length > 8) lines.push(`    … and ${notes.length - 8} more`);
  }
  lines.push(`  wrote       ${join(outDir, 'model.json')} and ${shards.length} weight shard(s), ${fmt(bytes)} bytes`);
  lines.push(`  load with   import 'tfjs-activations'; await tf.loadLayersModel('<url or file://>/model.json')`);
  process.stdout.write(lines.join('\n') + '\n');
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'convert' && args.length === 2) {
  try {
    await convert(args[0], args[1]);
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
} else if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
  process.stdout.write(USAGE + '\n');
} else {
  fail(USAGE, 2);
}
