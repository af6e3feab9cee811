import { frenchDate } from '../../../domain/french-words.js';
/** A few DOM helpers: build elements, forms with their labels, hints and messages. No framework. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

function appendChildren(parent: Node, children: readonly Child[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendChildren(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function setAttributes(el: Element, attrs: Attrs | null | undefined) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
}

/** An HTML element with attributes (`onclick`: a listener; `true`: a boolean attribute) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** An SVG element (charts are drawn with these: no inline style, so the CSP needs no exception). */
export function svg(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  setAttributes(el, attrs);
  appendChildren(el, children);
  return el;
}

export function replaceChildren(parent: Element, ...children: Child[]) {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  appendChildren(parent, children);
}

let counter = 0;
/** An id unique in the page, for label/for and aria-describedby. */
export const uid = (prefix: string) => `${prefix}-${++counter}`;

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

/** Moves the focus to a heading or region (made focusable for that) so keyboard and screen reader users follow. */
export function focusOn(el: HTMLElement) {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

export interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  required?: boolean;
  value?: string;
  hint?: string;
  autocomplete?: string;
  placeholder?: string;
  attrs?: Attrs;
}

/** A labelled input (or textarea with type 'textarea'), its hint tied to it by aria-describedby. */
export function field(o: FieldOptions): HTMLDivElement {
  const id = uid(o.name);
  const hintId = o.hint ? `${id}-aide` : undefined;
  const common = { id, name: o.name, required: o.required, 'aria-describedby': hintId, autocomplete: o.autocomplete ?? 'off', placeholder: o.placeholder, ...o.attrs };
  const control = o.type === 'textarea' ? h('textarea', { ...common, rows: 3 }, o.value ?? '') : h('input', { ...common, type: o.type ?? 'text', value: o.value });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label, o.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' (obligatoire)') : null),
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
    control,
  );
}

/** A labelled select. */
export function selectField(o: {
  label: string;
  name: string;
  options: readonly { value: string; label: string }[];
  value?: string;
  required?: boolean;
  hint?: string;
}): HTMLDivElement {
  const id = uid(o.name);
  const hintId = o.hint ? `${id}-aide` : undefined;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label, o.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' (obligatoire)') : null),
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
    h(
      'select',
      { id, name: o.name, required: o.required, 'aria-describedby': hintId },
      o.options.map((opt) => h('option', { value: opt.value, selected: opt.value === o.value }, opt.label)),
    ),
  );
}

/** A group of checkboxes (or radios) under a legend. */
export function choiceGroup(o: {
  legend: string;
  name: string;
  type?: 'checkbox' | 'radio';
  options: readonly { value: string; label: string; checked?: boolean }[];
  hint?: string;
  className?: string;
}): HTMLFieldSetElement {
  const hintId = o.hint ? uid(`${o.name}-aide`) : undefined;
  return h(
    'fieldset',
    { class: `choices ${o.className ?? ''}`.trim(), 'aria-describedby': hintId },
    h('legend', null, o.legend),
    o.hint ? h('p', { class: 'hint', id: hintId }, o.hint) : null,
    o.options.map((opt) => {
      const id = uid(o.name);
      return h(
        'div',
        { class: 'choice' },
        h('input', { type: o.type ?? 'checkbox', id, name: o.name, value: opt.value, checked: opt.checked }),
        h('label', { for: id }, opt.label),
      );
    }),
  );
}

export function button(label: string, attrs: Attrs = {}, ...extra: Child[]): HTMLButtonElement {
  return h('button', { type: 'button', class: 'button', ...attrs }, label, ...extra);
}

/** The live region of a form (or a page part): successes are polite statuses, refusals alerts. */
export function messageArea(): HTMLDivElement {
  return h('div', { class: 'message-area', 'aria-live': 'polite' });
}

export function showSuccess(area: HTMLElement, ...content: Child[]) {
  replaceChildren(area, h('p', { class: 'message success' }, h('span', { class: 'message-icon', 'aria-hidden': 'true' }, '✓ '), ...content));
}

export function showError(area: HTMLElement, ...content: Child[]) {
  replaceChildren(area, h('div', { class: 'message error', role: 'alert' }, ...content));
}

export function showInfo(area: HTMLElement, ...content: Child[]) {
  replaceChildren(area, h('p', { class: 'message info' }, ...content));
}

type FormControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The name a reader knows a control by: its label, or the legend of its group of boxes, without « (obligatoire) ». */
export function controlLabel(el: FormControl): string {
  const raw =
    (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')
      ? el.closest('fieldset')?.querySelector('legend')?.textContent
      : el.labels?.[0]?.textContent) ?? el.name;
  // « (obligatoire) », « (session CCP seulement) »: said elsewhere, not part of the field's name.
  return raw.replace(/\s*\([^)]*\)\s*$/, '').trim();
}

/** What the browser found wrong with a field, in French. */
export function invalidSentence(
  label: string,
  v: Pick<ValidityState, 'valueMissing' | 'typeMismatch' | 'badInput' | 'patternMismatch' | 'rangeUnderflow' | 'rangeOverflow' | 'tooShort' | 'tooLong'>,
  bounds: { min?: string; max?: string; date?: boolean } = {},
): string {
  const { min, max, date } = bounds;
  if (v.valueMissing) return `Le champ « ${label} » est obligatoire.`;
  if (v.typeMismatch || v.badInput || v.patternMismatch) return `Le champ « ${label} » n’a pas le format attendu.`;
  if (v.rangeUnderflow) return `Le champ « ${label} » ${min ? (date ? `ne doit pas précéder le ${min}` : `doit valoir au moins ${min}`) : 'est trop petit'}.`;
  if (v.rangeOverflow) return `Le champ « ${label} » ${max ? (date ? `ne doit pas dépasser le ${max}` : `doit valoir au plus ${max}`) : 'est trop grand'}.`;
  if (v.tooShort) return `Le champ « ${label} » est trop court.`;
  if (v.tooLong) return `Le champ « ${label} » est trop long.`;
  return `Le champ « ${label} » n’est pas valide.`;
}

/** A field's bounds as the reader reads them: a date's in French words. */
const boundsOf = (el: FormControl) => {
  if (!(el instanceof HTMLInputElement)) return {};
  const say = (value: string) => (value && el.type === 'date' ? frenchDate(value) : value) || undefined;
  return { min: say(el.min), max: say(el.max), date: el.type === 'date' };
};

/** The message of one field, next to it (after its group for boxes), tied by aria-describedby. */
export function markInvalid(el: FormControl, message: string) {
  clearInvalid(el);
  const anchor = (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? el.closest('fieldset') : null) ?? el;
  const id = uid('erreur');
  anchor.after(h('p', { class: 'field-error', id, 'data-error-of': el.name }, message));
  el.setAttribute('aria-invalid', 'true');
  el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

export function clearInvalid(el: FormControl) {
  el.removeAttribute('aria-invalid');
  const ids = (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const kept = ids.filter((id) => {
    const node = document.getElementById(id);
    if (node?.classList.contains('field-error')) {
      node.remove();
      return false;
    }
    return true;
  });
  if (kept.length) el.setAttribute('aria-describedby', kept.join(' '));
  else el.removeAttribute('aria-describedby');
}

/**
 * A form whose submit runs `action` once at a time. Invalid fields (required, pattern, type) are marked
 * aria-invalid, listed in the message area, and the first one gets the focus. The submit button is never
 * disabled (that would drop the keyboard focus): a second submit while one runs is ignored.
 */
export function form(
  o: { label?: string; submit: string; className?: string; action: (data: FormData, f: HTMLFormElement, area: HTMLElement) => Promise<void> },
  ...children: Child[]
): HTMLFormElement {
  const area = messageArea();
  const submit = h('button', { type: 'submit', class: 'button primary' }, o.submit);
  const f = h('form', { novalidate: true, class: o.className, 'aria-label': o.label }, ...children, h('div', { class: 'actions' }, submit), area);
  let running = false;
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    if (running) return;
    const invalid: FormControl[] = [];
    for (const el of Array.from(f.elements)) {
      if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) continue;
      if (el.checkValidity()) clearInvalid(el);
      else invalid.push(el);
    }
    if (invalid.length) {
      // A group of boxes is one field: its message is said once, next to the group.
      const said = new Set<string>();
      for (const el of invalid) {
        const name = controlLabel(el);
        if (said.has(name)) el.setAttribute('aria-invalid', 'true');
        else markInvalid(el, invalidSentence(name, el.validity, boundsOf(el)));
        said.add(name);
      }
      showError(area, h('p', null, `Le formulaire est à corriger : ${[...said].join(', ')}.`));
      invalid[0]!.focus();
      return;
    }
    running = true;
    submit.setAttribute('aria-disabled', 'true');
    f.setAttribute('aria-busy', 'true');
    o.action(new FormData(f), f, area)
      .catch((error: unknown) => showError(area, h('p', null, error instanceof Error ? error.message : String(error))))
      .finally(() => {
        running = false;
        submit.removeAttribute('aria-disabled');
        f.removeAttribute('aria-busy');
      });
  });
  return f;
}

export const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** A table with a caption and column headers; `rows` hold cells (a string or an element). */
export function table(o: { caption: string; headers: readonly string[]; rows: readonly Child[][]; className?: string; captionHidden?: boolean }): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: o.className },
      h('caption', { class: o.captionHidden ? 'sr-only' : undefined }, o.caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          o.headers.map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        o.rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', null, cell))),
          ),
        ),
      ),
    ),
  );
}
