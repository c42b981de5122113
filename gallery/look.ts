/** The gallery's look, shared by the page and the README images. */
import type {ActivationDefinition} from '../src/definition';
import {plotSvg, type Series} from './plot';
import type {Curves} from './series';
import type {View} from './view';

/** Points per curve. */
export const POINTS = 201;
export const COLORS = {f: '#1f5fbf', df: '#d95f02', tfjs: '#6b7280', tfjsD: '#b91c1c'};
/** Comparison colours, then dash patterns once the colours run out. */
export const PALETTE = [
  '#1f5fbf',
  '#d95f02',
  '#1b9e77',
  '#7570b3',
  '#e7298a',
  '#66a61e',
  '#a6761d',
  '#0f766e',
  '#be123c',
  '#4b5563',
];
export const DASHES = ['', '6 3', '2 2', '8 3 2 3'];
/** The x range of the comparison plot. */
export const COMPARE_RANGE: [number, number] = [-5, 5];
export const COMPARE_DEFAULT = ['relu', 'silu', 'gelu', 'mish', 'squareplus'];

/** f (solid) and f′ (dashed) series of one set of curves. */
export function curveSeries(
  c: Curves,
  fLabel: string,
  dfLabel: string,
  colors = [COLORS.f, COLORS.df],
  extra = '',
): Series[] {
  return [
    {x: c.x, y: c.f, label: fLabel, color: colors[0], cls: `f${extra}`},
    {x: c.x, y: c.df, label: dfLabel, color: colors[1], dash: '5 3', cls: `df${extra}`},
  ];
}

/** The i-th comparison series' colour and dash. */
export function compareStyle(i: number): {color: string; dash?: string} {
  return {
    color: PALETTE[i % PALETTE.length],
    dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length] || undefined,
  };
}

const SUBS = '₀₁₂₃₄₅₆₇₈₉';
/** A number as subscript digits. */
export const sub = (n: number) =>
  String(n)
    .split('')
    .map(d => SUBS[Number(d)])
    .join('');
/** A value rounded to 4 decimals for display. */
export const fmt = (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1e4) / 1e4) : String(v));

/** Legend labels of f and f′ and the accessible title of a card's plot. */
export function cardLabels(def: ActivationDefinition, view: View, vector?: number[]): [string, string, string] {
  const v = view.vector;
  if (!v || !vector) return ['f(x)', 'f′(x)', `${def.keras}(x) and its derivative`];
  const parts = vector.map((c, j) => (j === v.sweep ? 'x' : fmt(c)));
  return [
    `y${sub(v.output)}`,
    `∂y${sub(v.output)}/∂x${sub(v.sweep)}`,
    `${def.keras}([${parts.join(', ')}])${sub(v.output)} as x varies, and its derivative`,
  ];
}

/** A card's plot: f and f′ (plus `extra` series such as tfjs's own version). */
export function cardSvg(
  def: ActivationDefinition,
  view: View,
  curves: Curves,
  vector?: number[],
  extra: Series[] = [],
  heading?: string,
): string {
  const [fl, dfl, title] = cardLabels(def, view, vector);
  const series = [...curveSeries(curves, fl, dfl), ...extra];
  return plotSvg(series, {title, heading, legend: true, columns: series.length > 2 ? 2 : 3});
}

/** The comparison plot of f (or f′) of several activations. */
export function compareSvg(series: Series[], derivative: boolean, heading?: string, width = 480): string {
  const what = derivative ? 'derivatives' : 'values';
  return plotSvg(series, {
    title: `Comparison of the ${what} of ${series.map(s => s.label).join(', ') || 'no activations'}`,
    heading,
    legend: true,
    width,
    height: Math.round((width * 7) / 12),
    columns: width < 400 ? 2 : 3,
  });
}
