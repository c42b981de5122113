// A typedoc plugin for `npm run docs`: the page of each op (`squareplus`,
// `softShrink`...) gets its Keras name, description, formula, parameters
// with Keras defaults and the note on when to use it from the activation's
// definition (`tfa.definitions`), so the API reference has no second copy
// of them in comments. Every page also links to the gallery built next to
// the reference (dist/gallery/ beside dist/docs/).
import {Comment, Converter, JSX, ReflectionKind} from 'typedoc';
import {createRequire} from 'node:module';
import {buildPackage} from './build.mjs';

const require = createRequire(import.meta.url);

function describe(d) {
  const names = [d.keras, ...(d.aliases ?? [])].map(n => `\`${n}\``).join(', ');
  const lines = [`Keras ${names} (tfjs-layers id \`${d.id}\`). ${d.doc}`, '', `Formula: \`${d.formula}\``, ''];
  if (d.params.length) {
    lines.push('Options (camelCase or Keras snake_case names):', '');
    for (const p of d.params) {
      const dflt = 'default' in p ? ` = \`${JSON.stringify(p.default)}\` (Keras default)` : ' (required)';
      lines.push(`- \`${p.name}\`${p.keras !== p.name ? ` / \`${p.keras}\`` : ''}${dflt}: ${p.doc}`);
    }
  } else {
    lines.push('No options.');
  }
  if (d.note) lines.push('', `When to use it: ${d.note}`);
  lines.push(
    '',
    'A fused kernel on cpu, webgl and tensorflow, with its gradient (`tf.grad` works, twice too). ' +
      `Plotted with its derivative in the gallery: [${d.keras}](GALLERY#act-${d.keras}).`,
  );
  return lines.join('\n');
}

export async function load(app) {
  await buildPackage({log: () => undefined});
  const {definitions} = require('../dist/cjs/index.js');
  const byId = new Map(definitions.map(d => [d.id, d]));
  // the gallery relative to each page (pages sit at the root or one folder down)
  const gallery = url => '../'.repeat((url.match(/\//g) ?? []).length + 1) + 'gallery/index.html';
  app.renderer.hooks.on('sidebar.begin', ctx =>
    JSX.createElement(
      'p',
      {class: 'tfa-gallery'},
      JSX.createElement('a', {href: gallery(ctx.page.url)}, 'Gallery: every activation plotted'),
    ),
  );
  app.renderer.on('endPage', page => {
    if (page.contents) page.contents = page.contents.replace(/GALLERY#act-/g, `${gallery(page.url)}#act-`);
  });
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, context => {
    for (const r of context.project.getReflectionsByKind(ReflectionKind.Variable)) {
      const d = byId.get(r.name);
      if (!d || r.parent?.kind !== ReflectionKind.Project) continue;
      const text = describe(d);
      if (r.comment) r.comment.summary.push({kind: 'text', text: '\n\n' + text});
      else r.comment = new Comment([{kind: 'text', text}]);
    }
  });
}
