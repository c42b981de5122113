/**
 * The README's activation plots, drawn by the gallery's own code (series,
 * look, plot) on tfjs's cpu backend in Node, with Keras's default
 * parameters. `npm run gallery -- --readme-images` writes them;
 * test/gallery.test.ts checks the committed files against a fresh run.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfa from '../src/index';
import {COMPARE_DEFAULT, COMPARE_RANGE, POINTS, cardLabels, cardSvg, compareStyle, compareSvg} from './look';
import type {Series} from './plot';
import {curvesFor, elementwiseCurves, opFor} from './series';
import {startParams, viewOf, type TfLike} from './view';

/** The activations the README shows one by one. */
export const README_PLOTS = ['squareplus', 'gelu', 'mish', 'soft_shrink', 'sparsemax'];

const ops = tfa as unknown as Record<string, unknown>;
const tfl = tf as unknown as TfLike;

/** File name → SVG text. */
export async function readmeImages(): Promise<Record<string, string>> {
  tf.env().set('PROD', true); // no "install tfjs-node" banner
  await tf.setBackend('cpu');
  await tf.ready();
  const out: Record<string, string> = {};
  for (const name of README_PLOTS) {
    const def = tfa.lookup(name),
      view = viewOf(def);
    const params = startParams(def);
    const curves = await curvesFor(tfl, ops, def, view, params, POINTS, view.vector?.values);
    const given = Object.entries(params)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    const heading = view.vector
      ? cardLabels(def, view, view.vector.values)[2].replace(/, and its derivative$/, '')
      : `${name}${given ? ` (${given})` : ''}`;
    out[`${name}.svg`] = cardSvg(def, view, curves, view.vector?.values, [], heading) + '\n';
  }
  const series: Series[] = [];
  for (const [i, name] of COMPARE_DEFAULT.entries()) {
    const def = tfa.lookup(name);
    const c = await elementwiseCurves(
      tfl,
      opFor(ops, def, startParams(def)),
      COMPARE_RANGE[0],
      COMPARE_RANGE[1],
      POINTS,
    );
    series.push({x: c.x, y: c.f, label: name, ...compareStyle(i)});
  }
  out['comparison.svg'] = compareSvg(series, false, `f(x) of ${COMPARE_DEFAULT.join(', ')}`) + '\n';
  return out;
}
