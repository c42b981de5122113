/** The README's promises that can drift: the activation table and the two commands. */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {definitions} from '../src/catalogue';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

test('the activation table is the one generated from the definitions', () => {
  const table = execFileSync(process.execPath, [join(root, 'scripts', 'activation-table.mjs')], {
    encoding: 'utf8',
  }).trim();
  const section = readme.split('<!-- activations:start -->')[1].split('<!-- activations:end -->')[0].trim();
  expect(section).toBe(table);
  expect(table.split('\n')).toHaveLength(2 + definitions.length);
});

test('a fresh clone needs exactly npm test and npm run demo, and CI runs npm test', () => {
  const fresh = readme.split('## Fresh clone')[1].split('\n## ')[0];
  const commands = [...fresh.matchAll(/^(npm [^#\n]*?)\s*(#.*)?$/gm)].map(m => m[1].trim());
  expect(commands).toEqual(['npm test', 'npm run demo']);
  expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/\bnpm test\b/);
});
