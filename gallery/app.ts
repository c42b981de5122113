/**
 * The gallery page: one card per activation of `tfa.definitions` with f and
 * f′ computed live by the package's ops and `tf.grad` (webgl, or cpu where
 * WebGL is missing), parameter controls that redraw at once, tfjs's own
 * version where it differs, and a comparison plot. Runs as a classic
 * script after tf.min.js and tfjs-activations.min.js (globals `tf`, `tfa`),
 * so the folder works offline from file://.
 */
import type {ActivationDefinition, ParamSpec} from '../src/definition';
import {
  COMPARE_DEFAULT,
  COMPARE_RANGE,
  COLORS,
  POINTS,
  cardSvg,
  compareStyle,
  compareSvg,
  curveSeries,
  fmt,
} from './look';
import {esc, plotSvg, type Series} from './plot';
import {curvesFor, elementwiseCurves, opFor, vectorOutput, type Curves} from './series';
import {defaultsText, sliderOf, startParams, viewOf, type TfLike, type View} from './view';

import type * as Tfjs from '@tensorflow/tfjs';
import type * as Tfa from '../src/index';
import type {Tensor} from '@tensorflow/tfjs-core';

declare const tf: typeof Tfjs & TfLike;
declare const tfa: typeof Tfa;

type ParamValues = Record<string, number | boolean | null>;

/** What a plot element carries for tests and tools: the drawn numbers. */
export interface PlotData extends Curves {
  params: ParamValues;
  vector?: number[];
  output?: number[];
  /** tfjs's own version (on the main plot's range, or on the detail plot's). */
  overlay?: Curves;
  /** The package's own curves on the detail plot's range. */
  detail?: Curves;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  html = '',
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (html) e.innerHTML = html;
  return e;
}

/** A redraw that never runs twice at once and always ends with the latest state. */
function coalesced(draw: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null,
    again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await draw();
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };
  return run;
}

class Card {
  readonly view: View;
  readonly params: ParamValues;
  vector?: number[];
  readonly root: HTMLElement;
  readonly figure: HTMLElement;
  readonly detail?: HTMLElement;
  readonly error: HTMLElement;
  readonly outputEl?: HTMLElement;
  showTfjs = true;
  version = 0;
  onChange: () => void = () => undefined;
  readonly redraw: () => Promise<void>;

  constructor(readonly def: ActivationDefinition) {
    this.view = viewOf(def);
    this.params = startParams(def);
    this.vector = this.view.vector ? [...this.view.vector.values] : undefined;
    const names = [def.keras, ...(def.aliases ?? [])];
    const root = (this.root = el('article', {
      class: 'card',
      id: `act-${def.keras}`,
      'aria-labelledby': `h-${def.keras}`,
    }));
    root.append(el('h2', {id: `h-${def.keras}`}, esc(names.join(' / '))));
    root.append(
      el(
        'p',
        {class: 'ids'},
        `tfjs id <code>${esc(def.id)}</code> · op <code>tfa.${esc(def.id)}(x` +
          `${def.params.length ? ', {…}' : ''})</code>`,
      ),
    );
    root.append(el('p', {class: 'formula'}, esc(def.formula)));
    if (def.note) root.append(el('p', {class: 'note'}, esc(def.note)));
    this.figure = el('figure', {class: 'plot', 'data-activation': def.keras, 'data-version': '0'});
    root.append(this.figure);
    const controls = el('div', {class: 'controls'});
    for (const p of def.params) this.addControl(controls, p);
    if (this.vector) this.addVector(controls);
    const ov = this.view.overlay;
    if (ov) {
      const id = `tfjs-${def.keras}`;
      const box = el('input', {type: 'checkbox', id, checked: ''});
      box.addEventListener('change', () => {
        this.showTfjs = box.checked;
        void this.redraw();
      });
      const label = el('label', {for: id}, ` overlay tfjs's own (${esc(ov.label)})`);
      label.prepend(box);
      const wrap = el('div', {class: 'ctl'});
      wrap.append(label);
      controls.append(wrap);
      if (ov.range) {
        this.detail = el('figure', {class: 'plot detail', 'data-detail': def.keras});
        root.append(this.detail);
      }
      root.append(el('p', {class: 'caption'}, esc(ov.caption)));
    }
    if (controls.childElementCount) root.append(controls);
    root.append(el('p', {class: 'defaults'}, `Keras defaults: ${esc(defaultsText(def))}`));
    if (this.vector) {
      this.outputEl = el('p', {class: 'vector-out', 'aria-live': 'polite'});
      root.append(this.outputEl);
    }
    this.error = el('p', {class: 'error', role: 'alert', hidden: ''});
    root.append(this.error);
    this.redraw = coalesced(() => this.draw());
  }

  private changed() {
    void this.redraw();
    this.onChange();
  }

  private addControl(box: HTMLElement, p: ParamSpec) {
    const id = `p-${this.def.keras}-${p.name}`;
    const wrap = el('div', {class: 'ctl'});
    if (p.kind === 'boolean') {
      const c = el('input', {type: 'checkbox', id, 'data-param': p.name});
      c.checked = this.params[p.name] === true;
      c.addEventListener('change', () => {
        this.params[p.name] = c.checked;
        this.changed();
      });
      const label = el('label', {for: id}, ` ${esc(p.keras)} <span class="doc">${esc(p.doc)}</span>`);
      label.prepend(c);
      wrap.append(label);
    } else if (p.kind === 'number' || p.kind === 'optionalNumber') {
      const s = sliderOf(this.def, p),
        v = this.params[p.name];
      const start = typeof v === 'number' ? v : Math.min(s.max, Math.max(s.min, (s.min + s.max) / 2));
      const range = el('input', {
        type: 'range',
        id,
        min: String(s.min),
        max: String(s.max),
        step: String(s.step),
        value: String(start),
        'data-param': p.name,
      });
      const num = el('input', {
        type: 'number',
        min: String(s.min),
        max: String(s.max),
        step: String(s.step),
        value: String(start),
        'aria-label': `${p.keras} value`,
      });
      const label = el('label', {for: id}, `${esc(p.keras)} <span class="doc">${esc(p.doc)}</span>`);
      let enable: HTMLInputElement | undefined;
      const set = (x: number) => {
        if (enable && !enable.checked) return;
        this.params[p.name] = x;
        this.changed();
      };
      range.addEventListener('input', () => {
        num.value = range.value;
        set(Number(range.value));
      });
      num.addEventListener('input', () => {
        if (num.value === '' || !Number.isFinite(Number(num.value))) return;
        range.value = num.value;
        set(Number(num.value));
      });
      wrap.append(label);
      if (p.kind === 'optionalNumber') {
        enable = el('input', {type: 'checkbox', id: `${id}-set`, 'aria-label': `set ${p.keras}`});
        enable.checked = v !== null;
        range.disabled = num.disabled = v === null;
        const e = enable;
        e.addEventListener('change', () => {
          range.disabled = num.disabled = !e.checked;
          this.params[p.name] = e.checked ? Number(range.value) : null;
          this.changed();
        });
        const l2 = el('label', {for: `${id}-set`, class: 'set'}, ' set (unchecked: None)');
        l2.prepend(e);
        wrap.append(l2);
      }
      const row = el('div', {class: 'row'});
      row.append(range, num);
      wrap.append(row);
    } else {
      return; // axis parameters: the page shows one vector, along its only axis
    }
    box.append(wrap);
  }

  private addVector(box: HTMLElement) {
    const vec = this.vector!,
      sweep = this.view.vector!.sweep;
    const wrap = el('fieldset', {class: 'vector'});
    wrap.append(el('legend', {}, `input vector (the plot sweeps x<sub>${sweep}</sub>*; output below)`));
    vec.forEach((v, j) => {
      const id = `v-${this.def.keras}-${j}`;
      const input = el('input', {type: 'number', id, step: '0.1', value: String(v), 'data-index': String(j)});
      input.addEventListener('input', () => {
        if (input.value === '' || !Number.isFinite(Number(input.value))) return;
        vec[j] = Number(input.value);
        this.changed();
      });
      const label = el('label', {for: id}, `x<sub>${j}</sub>${j === sweep ? '*' : ''}`);
      const cell = el('span', {class: 'vcell'});
      cell.append(label, input);
      wrap.append(cell);
    });
    box.append(wrap);
  }

  async draw() {
    const def = this.def,
      params = {...this.params},
      vector = this.vector ? [...this.vector] : undefined;
    try {
      const curves = await curvesFor(
        tf,
        tfa as unknown as Record<string, unknown>,
        def,
        this.view,
        params,
        POINTS,
        vector,
      );
      const extra: Series[] = [];
      const data: PlotData = {...curves, params};
      const ov = this.view.overlay;
      if (ov && this.showTfjs) {
        const fn = (x: Tensor) => ov.fn(tf, x);
        const [lo, hi] = ov.range ?? this.view.range;
        const o = await elementwiseCurves(tf, fn, lo, hi, POINTS);
        data.overlay = o;
        const tfSeries = curveSeries(o, "tfjs's f", "tfjs's f′", [COLORS.tfjs, COLORS.tfjsD], ' tfjs');
        tfSeries.forEach(s => {
          s.dash = s.cls!.startsWith('df') ? '2 2' : '1 3';
          s.width = 2.5;
        });
        if (ov.range && this.detail) {
          const mine = await elementwiseCurves(
            tf,
            opFor(tfa as unknown as Record<string, unknown>, def, params),
            lo,
            hi,
            POINTS,
          );
          data.detail = mine;
          // f alone: the differences are far smaller than f′
          this.detail.innerHTML =
            plotSvg([curveSeries(mine, 'f (this package)', '')[0], tfSeries[0]], {
              title: `${def.keras} and ${ov.label} for x in [${lo}, ${hi}]`,
              legend: true,
              columns: 2,
            }) + `<figcaption>detail of f: x in [${lo}, ${hi}]</figcaption>`;
        } else {
          extra.push(...tfSeries);
        }
      } else if (this.detail) {
        this.detail.innerHTML = '';
      }
      if (vector) {
        const fn = opFor(tfa as unknown as Record<string, unknown>, def, params);
        data.vector = vector;
        data.output = await vectorOutput(tf, fn, vector);
        this.outputEl!.textContent =
          `${def.keras}([${data.vector.map(fmt).join(', ')}]) = ` + `[${data.output.map(fmt).join(', ')}]`;
      }
      this.figure.innerHTML = cardSvg(def, this.view, curves, vector, extra);
      (this.figure as HTMLElement & {plotData?: PlotData}).plotData = data;
      this.figure.dataset.params = JSON.stringify(params);
      this.figure.dataset.version = String(++this.version);
      this.error.hidden = true;
    } catch (e) {
      this.error.hidden = false;
      this.error.textContent = String((e as Error).message ?? e);
    }
  }
}

class Comparison {
  readonly chosen: Set<string>;
  derivative = false;
  readonly figure: HTMLElement;
  readonly redraw: () => Promise<void>;

  constructor(
    readonly cards: Map<string, Card>,
    host: HTMLElement,
  ) {
    this.chosen = new Set(COMPARE_DEFAULT.filter(n => cards.has(n)));
    const picks = el('fieldset', {class: 'picks'});
    picks.append(el('legend', {}, 'Activations to overlay'));
    for (const [name, card] of cards) {
      if (card.def.kind !== 'elementwise') continue;
      const id = `cmp-${name}`,
        box = el('input', {type: 'checkbox', id, value: name});
      box.checked = this.chosen.has(name);
      box.addEventListener('change', () => {
        if (box.checked) this.chosen.add(name);
        else this.chosen.delete(name);
        void this.redraw();
      });
      const label = el('label', {for: id}, ` ${esc(name)}`);
      label.prepend(box);
      picks.append(label);
    }
    const which = el('fieldset', {class: 'which'});
    which.append(el('legend', {}, 'Plot'));
    for (const [v, text] of [
      ['f', 'f(x)'],
      ['df', 'f′(x)'],
    ]) {
      const r = el('input', {type: 'radio', name: 'cmp-which', id: `cmp-${v}`, value: v});
      r.checked = v === 'f';
      r.addEventListener('change', () => {
        this.derivative = r.value === 'df' && r.checked;
        void this.redraw();
      });
      const label = el('label', {for: `cmp-${v}`}, ` ${text}`);
      label.prepend(r);
      which.append(label);
    }
    this.figure = el('figure', {class: 'plot compare', 'data-comparison': '', 'data-version': '0'});
    host.append(which, this.figure, picks);
    this.redraw = coalesced(() => this.draw());
  }

  async draw() {
    const series: Series[] = [];
    let i = 0;
    for (const name of this.cards.keys()) {
      if (!this.chosen.has(name)) continue;
      const card = this.cards.get(name)!;
      try {
        const c = await elementwiseCurves(
          tf,
          opFor(tfa as unknown as Record<string, unknown>, card.def, card.params),
          COMPARE_RANGE[0],
          COMPARE_RANGE[1],
          POINTS,
        );
        series.push({x: c.x, y: this.derivative ? c.df : c.f, label: name, ...compareStyle(i), cls: `cmp ${name}`});
        i++;
      } catch {
        // a card with invalid parameters shows its own error
      }
    }
    // drawn at about its on-screen width, so that its text stays readable on a phone
    const width = Math.max(300, Math.min(560, Math.round(this.figure.clientWidth || 480)));
    this.figure.innerHTML = compareSvg(series, this.derivative, undefined, width);
    this.figure.dataset.version = String(Number(this.figure.dataset.version) + 1);
    this.figure.dataset.chosen = series.map(s => s.label).join(',');
  }

  watch(card: Card) {
    card.onChange = () => {
      if (this.chosen.has(card.def.keras)) void this.redraw();
    };
  }
}

async function startBackend(): Promise<string> {
  try {
    if (await tf.setBackend('webgl')) {
      await tf.ready();
      return tf.getBackend();
    }
  } catch {
    // no WebGL: fall through to cpu
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

async function main() {
  const t0 = performance.now();
  const backend = await startBackend();
  document.getElementById('backend')!.textContent = backend;
  const toc = document.getElementById('toc')!,
    main = document.getElementById('cards')!;
  const cards = new Map<string, Card>();
  const list = el('ul');
  for (const def of tfa.definitions) {
    const card = new Card(def);
    cards.set(def.keras, card);
    main.append(card.root);
    const li = el('li');
    li.append(el('a', {href: `#act-${def.keras}`}, esc(def.keras)));
    list.append(li);
  }
  toc.append(list);
  const cmp = new Comparison(cards, document.getElementById('compare-body')!);
  for (const card of cards.values()) cmp.watch(card);
  await cmp.redraw(); // the top of the page first; its programs are then reused by the cards
  for (const card of cards.values()) await card.redraw();
  document.body.dataset.loadMs = String(Math.round(performance.now() - t0));
  document.body.dataset.backend = backend;
  document.body.dataset.ready = 'true';
}

main().catch(e => {
  const p = document.getElementById('fatal')!;
  p.hidden = false;
  p.textContent = `The gallery could not start: ${String((e as Error).message ?? e)}`;
});
