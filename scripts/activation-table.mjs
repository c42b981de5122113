// Prints the README's activation table from the definitions (dist/cjs), so
// the README cannot drift from the code: test/readme.test.ts compares them.
import {createRequire} from 'node:module';
const require = createRequire(import.meta.url);

export function activationTable(tfa) {
  const rows = ['| Keras name | op / layers id | parameters (Keras defaults) | formula |', '|---|---|---|---|'];
  for (const d of tfa.definitions) {
    const names = [d.keras, ...(d.aliases ?? [])].map(n => `\`${n}\``).join(', ');
    const params = d.params.map(p => `\`${p.name}\`${p.keras !== p.name ? ` (\`${p.keras}\`)` : ''}${'default' in p ? ` = ${JSON.stringify(p.default)}` : ' (required)'}`).join(', ') || '–';
    rows.push(`| ${names} | \`${d.id}\` | ${params} | ${d.formula} |`);
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(activationTable(require('../dist/cjs/index.js')));
}
