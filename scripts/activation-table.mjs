// Prints the README's activation table from the definitions (dist/cjs), so
// the README cannot drift from the code: test/readme.test.ts compares them.
// With --write, replaces the table in README.md (npm run readme).
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
const require = createRequire(import.meta.url);

export function activationTable(tfa) {
  const rows = ['| Keras name | op / layers id | parameters (Keras defaults) | formula |', '|---|---|---|---|'];
  for (const d of tfa.definitions) {
    const names = [d.keras, ...(d.aliases ?? [])].map(n => `\`${n}\``).join(', ');
    const params =
      d.params
        .map(
          p =>
            `\`${p.name}\`${p.keras !== p.name ? ` (\`${p.keras}\`)` : ''}${'default' in p ? ` = ${JSON.stringify(p.default)}` : ' (required)'}`,
        )
        .join(', ') || '–';
    rows.push(`| ${names} | \`${d.id}\` | ${params} | ${d.formula} |`);
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = activationTable(require('../dist/cjs/index.js'));
  if (process.argv.includes('--write')) {
    const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
    const [head, rest] = readFileSync(readme, 'utf8').split('<!-- activations:start -->');
    const tail = rest.split('<!-- activations:end -->')[1];
    writeFileSync(readme, `${head}<!-- activations:start -->\n${table}\n<!-- activations:end -->${tail}`);
  } else {
    console.log(table);
  }
}
