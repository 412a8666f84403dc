/** Small inline-SVG plots for the sweep report (no scripts, no network: the page works offline). */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A numeric or categorical axis mapping values to [0, 1]. */
export interface Axis {
  label: string;
  map(v: unknown): number | null;
  ticks: { at: number; text: string }[];
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? Number(v.toPrecision(3)).toString() : v.toExponential(1);
}

/** Log scale when all values are positive and span more than a factor 20; categories when not numbers. */
export function axisFor(label: string, values: unknown[]): Axis {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length === 0 || nums.length < values.filter((v) => v !== undefined && v !== null).length) {
    const cats = [...new Set(values.map((v) => JSON.stringify(v)))];
    const at = (i: number) => (cats.length === 1 ? 0.5 : i / (cats.length - 1));
    return {
      label,
      map: (v) => {
        const i = cats.indexOf(JSON.stringify(v));
        return i < 0 ? null : at(i);
      },
      ticks: cats.map((c, i) => ({ at: at(i), text: c.replace(/^"|"$/g, '') })),
    };
  }
  let lo = Math.min(...nums);
  let hi = Math.max(...nums);
  const log = lo > 0 && hi / lo > 20;
  const t = (v: number) => (log ? Math.log10(v) : v);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const [a, b] = [t(lo), t(hi)];
  const ticks = Array.from({ length: 5 }, (_, i) => {
    const u = a + ((b - a) * i) / 4;
    return { at: i / 4, text: fmt(log ? 10 ** u : u) + (log && i === 0 ? ' (log)' : '') };
  });
  return {
    label,
    map: (v) =>
      typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? (t(v) - a) / (b - a) : null,
    ticks,
  };
}

/** Colour from good (dark blue) to bad (light orange) for a rank in [0, 1]. */
export function rankColour(u: number): string {
  const c = (x: number, y: number) => Math.round(x + (y - x) * u);
  return `rgb(${c(33, 253)},${c(82, 174)},${c(160, 97)})`;
}

const W = 360;
const H = 240;
const M = { l: 56, r: 24, t: 12, b: 40 };

function frame(x: Axis, y: Axis, body: string): string {
  const px = (u: number) => M.l + u * (W - M.l - M.r);
  const py = (u: number) => H - M.b - u * (H - M.t - M.b);
  const xt = x.ticks
    .map((t) => `<text x="${px(t.at)}" y="${H - M.b + 14}" text-anchor="middle">${escapeHtml(t.text)}</text>`)
    .join('');
  const yt = y.ticks
    .map((t) => `<text x="${M.l - 4}" y="${py(t.at) + 3}" text-anchor="end">${escapeHtml(t.text)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-size="10" font-family="sans-serif"><rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#bbb"/>${xt}${yt}<text x="${(M.l + W - M.r) / 2}" y="${H - 6}" text-anchor="middle" font-weight="bold">${escapeHtml(x.label)}</text><text transform="translate(12 ${(H - M.b + M.t) / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">${escapeHtml(y.label)}</text>${body}</svg>`;
}

/** Points (x, y, colour, title). */
export function scatterSvg(
  x: Axis,
  y: Axis,
  points: { x: unknown; y: unknown; colour: string; title: string }[],
): string {
  const px = (u: number) => M.l + u * (W - M.l - M.r);
  const py = (u: number) => H - M.b - u * (H - M.t - M.b);
  const dots = points
    .map((p) => {
      const u = x.map(p.x);
      const v = y.map(p.y);
      if (u === null || v === null) return '';
      return `<circle cx="${px(u).toFixed(1)}" cy="${py(v).toFixed(1)}" r="4" fill="${p.colour}" fill-opacity="0.8"><title>${escapeHtml(p.title)}</title></circle>`;
    })
    .join('');
  return frame(x, y, dots);
}

/** Lines (one per series) of y against epoch. */
export function linesSvg(
  x: Axis,
  y: Axis,
  series: { points: [number, number][]; colour: string; title: string }[],
): string {
  const px = (u: number) => M.l + u * (W - M.l - M.r);
  const py = (u: number) => H - M.b - u * (H - M.t - M.b);
  const paths = series
    .map((s) => {
      const pts = s.points
        .map(([a, b]) => [x.map(a), y.map(b)])
        .filter((p): p is [number, number] => p[0] !== null && p[1] !== null)
        .map(([u, v]) => `${px(u).toFixed(1)},${py(v).toFixed(1)}`);
      return pts.length
        ? `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"><title>${escapeHtml(s.title)}</title></polyline>`
        : '';
    })
    .join('');
  return frame(x, y, paths);
}

/** Parallel coordinates: one vertical axis per column, one polyline per row. */
export function parallelSvg(
  axes: Axis[],
  rows: { values: unknown[]; colour: string; title: string }[],
): string {
  const width = Math.max(420, 140 * axes.length);
  const height = 300;
  const top = 30;
  const bottom = 40;
  const ax = (i: number) => 50 + (i * (width - 100)) / Math.max(1, axes.length - 1);
  const ay = (u: number) => height - bottom - u * (height - top - bottom);
  const lines = rows
    .map((r) => {
      const pts = r.values.map((v, i) => {
        const u = axes[i].map(v);
        return u === null ? null : `${ax(i).toFixed(1)},${ay(u).toFixed(1)}`;
      });
      if (pts.some((p) => p === null)) return '';
      return `<polyline points="${pts.join(' ')}" fill="none" stroke="${r.colour}" stroke-opacity="0.75" stroke-width="1.5"><title>${escapeHtml(r.title)}</title></polyline>`;
    })
    .join('');
  const axisMarks = axes
    .map((a, i) => {
      const ticks = a.ticks
        .map((t) => `<text x="${ax(i) + 4}" y="${ay(t.at) + 3}">${escapeHtml(t.text)}</text>`)
        .join('');
      return `<line x1="${ax(i)}" y1="${ay(0)}" x2="${ax(i)}" y2="${ay(1)}" stroke="#555"/><text x="${ax(i)}" y="${top - 12}" text-anchor="middle" font-weight="bold">${escapeHtml(a.label)}</text>${ticks}`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="10" font-family="sans-serif">${lines}${axisMarks}</svg>`;
}
