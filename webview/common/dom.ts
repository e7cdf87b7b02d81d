/** Small DOM helpers: elements are built with properties, never from HTML strings (the CSP forbids inline styles). */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** A `<vscode-single-select>` with the given options; `onChange` gets the chosen value. */
export function select(
  label: string,
  options: readonly { value: string; label: string }[],
  value: string,
  onChange: (v: string) => void,
): HTMLElement {
  const s = document.createElement('vscode-single-select') as HTMLElement & { value: string };
  // `label` names the combobox inside the element's shadow root for screen readers (aria-label stays on the host
  // element only, where no role reads it).
  s.setAttribute('aria-label', label);
  s.setAttribute('label', label);
  for (const o of options) {
    const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (o.value === value) opt.setAttribute('selected', '');
    s.append(opt);
  }
  s.addEventListener('change', () => onChange(s.value));
  const wrap = el('label', { class: 'control' }, [el('span', { class: 'control-label' }, [label]), s]);
  return wrap;
}

/** A `<vscode-multi-select>`; `onChange` gets the chosen values in list order. */
export function multiSelect(
  label: string,
  options: readonly { value: string; label: string }[],
  values: readonly string[],
  onChange: (v: string[]) => void,
): HTMLElement {
  const s = document.createElement('vscode-multi-select') as HTMLElement & { value: string[] };
  s.setAttribute('aria-label', label);
  s.setAttribute('label', label);
  for (const o of options) {
    const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
    opt.setAttribute('value', o.value);
    opt.textContent = o.label;
    if (values.includes(o.value)) opt.setAttribute('selected', '');
    s.append(opt);
  }
  s.addEventListener('change', () => onChange([...s.value]));
  return el('label', { class: 'control' }, [el('span', { class: 'control-label' }, [label]), s]);
}

export function button(label: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  if (secondary) b.setAttribute('secondary', '');
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const c = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  c.setAttribute('label', label);
  if (checked) c.setAttribute('checked', '');
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A metric value as it prints: accuracies as percentages, NTK scores with four significant digits. */
export function formatValue(v: number | null | undefined, format: 'percent' | 'number' = 'percent'): string {
  if (format === 'percent') return formatPercent(v);
  return v === null || v === undefined || Number.isNaN(v) ? '–' : formatNumber(v);
}

/** Four significant digits; exponent form outside 1e-3..1e5 (NTK norms and condition numbers span decades). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : v < 0 ? '−∞' : '–';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3)
    ? Number(v.toPrecision(4)).toExponential()
    : String(Number(v.toPrecision(4)));
}

/** Accuracy fraction -> percent with two decimals, as the paper's tables print it. */
export function formatPercent(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(2)}%`;
}
