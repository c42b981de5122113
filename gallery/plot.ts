/**
 * Plain SVG line plots, as strings: the gallery page and the README images
 * are drawn by this one function. No DOM is needed (the README images are
 * written from Node), every colour is an attribute (the SVG files stand
 * alone), and coordinates are rounded to 0.1 px so the output is small and
 * does not change with the last bits of a float32 result.
 */

export interface Series {
  /** Abscissae, ascending. */
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label: string;
  color: string;
  /** SVG stroke-dasharray, e.g. '5 3' for f′. */
  dash?: string;
  width?: number;
  /** A class on the path (`f`, `df`, `tfjs`...), for styling and for tests. */
  cls?: string;
}

export interface PlotOptions {
  width?: number;
  height?: number;
  /** Accessible title of the image. */
  title: string;
  /** Show a legend below the axes. */
  legend?: boolean;
  /** Legend entries per row (default 3). */
  columns?: number;
  /** A visible heading above the axes (the page's cards have their own). */
  heading?: string;
  /** Always include y = 0 in the range (default true). */
  includeZero?: boolean;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

/** Escapes text for SVG/HTML content and attributes. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** At most about `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count,
    p = Math.pow(10, Math.floor(Math.log10(raw))),
    m = raw / p;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  const out: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) out.push(i * step);
  return out;
}

/** A tick label: short decimals, or an exponent for very small or large steps. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  if (Math.abs(step) < 1e-3 || Math.abs(v) >= 1e5) {
    const [m, e] = v.toExponential(1).split('e');
    return `${m.replace(/\.0$/, '')}e${e.replace('+', '')}`.replace('-', '−');
  }
  const digits = Math.max(0, -Math.floor(Math.log10(Math.abs(step)) + 1e-9));
  return v.toFixed(digits).replace('-', '−');
}

/** The range of the finite values of every series (x and y). */
function extent(series: Series[], key: 'x' | 'y'): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s[key].length; i++) {
      const v = s[key][i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

const r1 = (v: number) => {
  const s = (Math.round(v * 10) / 10).toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
};

/** Path data through the finite points; a non-finite value breaks the line. */
function pathData(s: Series, px: (x: number) => number, py: (y: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < s.x.length; i++) {
    const x = s.x[i],
      y = s.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${r1(px(x))} ${r1(py(y))}`);
    pen = true;
  }
  return parts.join('');
}

/** An SVG document (no XML prolog) plotting the series on shared axes. */
export function plotSvg(series: Series[], opts: PlotOptions): string {
  const W = opts.width ?? 320,
    cols = opts.columns ?? 3;
  const legendRows = opts.legend ? Math.ceil(series.length / cols) : 0;
  const head = opts.heading ? 20 : 0;
  const H0 = (opts.height ?? 200) + head,
    H = H0 + legendRows * 16;
  const left = 42,
    right = 16,
    top = 10 + head,
    bottom = 24;
  const [x0, x1] = extent(series, 'x');
  let [y0, y1] = extent(series, 'y');
  if (opts.includeZero !== false) {
    y0 = Math.min(y0, 0);
    y1 = Math.max(y1, 0);
  }
  if (y1 - y0 < 1e-30) {
    y0 -= 1;
    y1 += 1;
  }
  const pad = (y1 - y0) * 0.06;
  y0 -= pad;
  y1 += pad;
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (W - left - right);
  const py = (y: number) => top + ((y1 - y) / (y1 - y0)) * (H0 - top - bottom);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" ` +
      `role="img" aria-label="${esc(opts.title)}" ${FONT} font-size="10">`,
  );
  out.push(`<title>${esc(opts.title)}</title>`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  if (opts.heading) {
    out.push(`<text x="${left}" y="16" font-size="13" font-weight="600" fill="#18181b">${esc(opts.heading)}</text>`);
  }
  const xt = ticks(x0, x1, 6),
    yt = ticks(y0, y1, 5);
  const xs = xt.length > 1 ? xt[1] - xt[0] : 1,
    ys = yt.length > 1 ? yt[1] - yt[0] : 1;
  const grid: string[] = [],
    labels: string[] = [];
  for (const t of xt) {
    grid.push(`M${r1(px(t))} ${top}V${H0 - bottom}`);
    labels.push(`<text x="${r1(px(t))}" y="${H0 - bottom + 13}" text-anchor="middle">${formatTick(t, xs)}</text>`);
  }
  for (const t of yt) {
    grid.push(`M${left} ${r1(py(t))}H${W - right}`);
    labels.push(`<text x="${left - 4}" y="${r1(py(t) + 3.5)}" text-anchor="end">${formatTick(t, ys)}</text>`);
  }
  out.push(`<path d="${grid.join('')}" stroke="#e4e4e7" stroke-width="1" fill="none"/>`);
  const axes: string[] = [];
  if (y0 <= 0 && y1 >= 0) axes.push(`M${left} ${r1(py(0))}H${W - right}`);
  if (x0 <= 0 && x1 >= 0) axes.push(`M${r1(px(0))} ${top}V${H0 - bottom}`);
  if (axes.length) out.push(`<path d="${axes.join('')}" stroke="#71717a" stroke-width="1" fill="none"/>`);
  out.push(
    `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H0 - top - bottom}" ` +
      `stroke="#a1a1aa" fill="none"/>`,
  );
  out.push(`<g fill="#3f3f46">${labels.join('')}</g>`);
  for (const s of series) {
    out.push(
      `<path${s.cls ? ` class="${s.cls}"` : ''} d="${pathData(s, px, py)}" stroke="${s.color}" ` +
        `stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} fill="none" ` +
        `stroke-linejoin="round"><title>${esc(s.label)}</title></path>`,
    );
  }
  if (opts.legend) {
    const colW = (W - left) / cols;
    series.forEach((s, i) => {
      const lx = left + (i % cols) * colW,
        ly = H0 + 4 + Math.floor(i / cols) * 16;
      out.push(
        `<path d="M${r1(lx)} ${ly + 6}h18" stroke="${s.color}" stroke-width="${s.width ?? 2}"` +
          `${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      );
      out.push(`<text x="${r1(lx + 22)}" y="${ly + 9.5}" fill="#27272a">${esc(s.label)}</text>`);
    });
  }
  out.push('</svg>');
  return out.join('');
}
