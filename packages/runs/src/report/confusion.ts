import { html, type SafeHtml } from './html';
import type { RunData } from './run-data';

/** White to dark blue by `t` (0…1), as `rgb(…)`, with the text colour readable on it. */
function cellColours(t: number): { background: string; text: string } {
  const from = [255, 255, 255];
  const to = [8, 48, 107];
  const rgb = from.map((f, i) => Math.round(f + (to[i] - f) * Math.min(Math.max(t, 0), 1)));
  // Relative luminance (WCAG): dark cells get white text, light cells black.
  const luminance = rgb
    .map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  return { background: `rgb(${rgb.join(',')})`, text: luminance < 0.35 ? '#fff' : '#111' };
}

/**
 * The confusion matrix as an HTML table: each cell the count and the share of its true class (row
 * normalised, so the diagonal is each class's recall), shaded by that share with contrast-aware text;
 * zero cells are white.
 */
export function confusionTable(run: RunData): SafeHtml {
  const matrix = run.confusionMatrix ?? [];
  const names = run.classNames ?? matrix.map((_, i) => String(i));
  const rows = matrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, p) => {
      const share = total ? count / total : 0;
      const { background, text } = count === 0 ? { background: '#fff', text: '#bbb' } : cellColours(share);
      const style = `background:${background};color:${text}`;
      return html`<td class="${t === p ? 'cm diag' : 'cm'}" style="${style}" title="${`true ${names[t]}, predicted ${names[p]}: ${count}`}">${count}<small>${count ? `${(share * 100).toFixed(share >= 0.1 ? 0 : 1)}%` : ''}</small></td>`;
    });
    return html`<tr><th scope="row">${names[t]}</th>${cells}<td class="total">${total}</td></tr>`;
  });
  const correct = matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const all = matrix.flat().reduce((a, b) => a + b, 0);
  return html`<table class="confusion">
<caption>${run.name}: ${run.confusionSplit ?? 'validation'} set, ${all} examples, ${all ? ((100 * correct) / all).toFixed(1) : '0'}% correct. Rows: true class; columns: predicted; % of the row.</caption>
<tr><th></th>${names.map((n) => html`<th scope="col" class="pred">${n}</th>`)}<th>total</th></tr>
${rows}
</table>`;
}
