/**
 * `npm run docs`'s API reference (typedoc, typedoc.json): it builds with no
 * warning (treatWarningsAsErrors), and every op's page carries its Keras
 * name, formula, options with Keras defaults and note from the definition.
 */
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {definitions} from '../src/catalogue';

const root = join(__dirname, '..');
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

test('the API reference documents every op from its definition', () => {
  const out = mkdtempSync(join(tmpdir(), 'tfa-docs-'));
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    for (const d of definitions) {
      const page = readFileSync(join(out, 'variables', `${d.id}.html`), 'utf8');
      expect(page).toContain(`<code>${d.keras}</code>`);
      expect(page).toContain(html(d.formula));
      expect(page).toContain(html(d.note!));
      for (const p of d.params) expect(page).toContain(`<code>${p.name}</code>`);
      expect(page).toContain(`../../gallery/index.html#act-${d.keras}`);
    }
    // the gallery beside the reference, linked from every page
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="../gallery/index.html"');
    expect(readFileSync(join(out, 'variables', 'relu.html'), 'utf8')).toContain('href="../../gallery/index.html"');
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}, 240000);
