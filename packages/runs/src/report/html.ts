/** HTML that is already safe to insert (built by `html`, or trusted markup such as Vega's SVG). */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML content and for quoted attribute values (`& < > " '`). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

type Part = SafeHtml | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/**
 * A tagged template that escapes every interpolated value, in text and attributes alike, except
 * `SafeHtml` (nested `html` results and `trusted` markup): a run directory named
 * `a"><img src=x onerror=alert(1)>` stays text.
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks markup produced by a trusted renderer (Vega's SVG, which escapes its own text) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
