// Small DOM helpers: elements are built with text nodes only (never HTML from data), so no value can inject markup.
import { t, number, statusWord, dateTime, duration } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    // Through CSSOM: the page's Content-Security-Policy refuses style attributes.
    else if (k === 'style') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const svg = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
};

/** A status as a badge; unknown statuses (the API may add some) show as they are, in a neutral colour. */
export function statusBadge(status, resumesAt) {
  const known = ['scheduled', 'running', 'completed', 'canceled', 'canceling', 'failed', 'waiting', 'queued', 'sent',
    'delivered', 'read', 'unknown', 'suppressed', 'sending', 'expired'];
  const cls = known.includes(status) ? `status status-${status}` : 'status status-other';
  const label = status === 'waiting' && resumesAt ? t('waitingUntil', { t: dateTime(resumesAt) }) : statusWord(status);
  return h('span', { class: cls, 'data-status': status }, label);
}

/** Runs fn now and then every ms after each run ends, until the returned stop is called. */
export function every(ms, fn) {
  let stopped = false, timer = null;
  const tick = async () => {
    try { await fn(); } catch { /* the view shows its own errors */ }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

export const finished = (status) => ['completed', 'canceled', 'failed'].includes(status);

const segments = [
  ['total_sent', 'segSent', 'sent'], ['total_failed', 'segFailed', 'failed'], ['total_canceled', 'segCanceled', 'canceled'],
  ['total_suppressed', 'segSuppressed', 'suppressed'], ['total_unknown', 'segUnknown', 'unknown'], ['total_expired', 'segExpired', 'expired'],
];

/** Sent, failed, canceled, suppressed, unknown and expired as parts of one bar; the rest is still queued. */
export function progressBar(b) {
  const total = Math.max(0, b.total_recipient ?? 0);
  const doneCount = total - Math.max(0, b.total_queued ?? 0);
  const percent = total === 0 ? (finished(b.status) ? 100 : 0) : Math.floor((doneCount / total) * 100);
  const parts = segments.filter(([field]) => (b[field] ?? 0) > 0);
  const summary = parts.map(([field, word]) => `${number(b[field])} ${t(word)}`).join(', ');
  return h('div', { class: 'progress' },
    h('div', {
      class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent,
      'aria-valuetext': `${t('percentDone', { p: number(percent) })}${summary ? ': ' + summary : ''}`,
    }, parts.map(([field, word, cls]) => h('span', {
      class: `seg seg-${cls}`, style: { width: `${total ? (b[field] / total) * 100 : 0}%` }, title: `${number(b[field])} ${t(word)}`,
    }))),
    h('span', { class: 'bar-label' }, `${number(percent)} %`));
}

/** Messages per second from the counters seen over the last half minute, and the time left at that pace. */
export class RateMeter {
  #samples = [];
  add(b) {
    const now = Date.now();
    this.#samples.push({ at: now, done: (b.total_recipient ?? 0) - (b.total_queued ?? 0) });
    this.#samples = this.#samples.filter((s) => now - s.at <= 30_000);
  }
  get rate() {
    if (this.#samples.length < 2) return null;
    const first = this.#samples[0], last = this.#samples.at(-1);
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.done - first.done) / seconds) : null;
  }
  describe(b) {
    if (finished(b.status)) return { rate: '', left: t('done') };
    const r = this.rate;
    if (r === null) return { rate: '', left: '' };
    const queued = b.total_queued ?? 0;
    return { rate: t('perSecond', { n: number(r, 1) }), left: r > 0 && queued > 0 ? t('about', { d: duration(queued / r) }) : '' };
  }
}

/** A clear sentence from an API error: the detail, and the field, row or column it names. */
export function problemText(error) {
  if (!error || error.status === 0) return t('errorNetwork');
  if (error.status === 401) return t('keyNeeded');
  const p = error.problem ?? {};
  const where = [p.field && t('errorField', { field: p.field }), p.row && t('errorRow', { row: p.row }), p.column && t('errorColumn', { column: p.column })]
    .filter(Boolean).join(', ');
  const text = p.detail || p.title || t('errorGeneric', { status: error.status });
  return where ? `${where}: ${text}` : text;
}

/** Replaces a region's content and puts keyboard focus back on the element with the same data-focus-key, so a
 * view that refreshes itself does not throw a keyboard user back to the top. */
export function replaceKeepingFocus(target, ...nodes) {
  const key = document.activeElement?.dataset?.focusKey;
  const inside = key && target.contains(document.activeElement);
  target.replaceChildren(...nodes);
  if (inside) target.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

/** A message in a live region, so screen readers announce it. */
export function notice(target, text, kind = 'info') {
  target.replaceChildren(text ? h('p', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text) : '');
}

export function table(caption, headers, rows, attrs = {}) {
  return h('table', attrs,
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

/** Continuation paging: Previous and Next over the API's continuation tokens. */
export class Pager {
  #stack = [];
  current = undefined;
  next = null;
  reset() { this.#stack = []; this.current = undefined; this.next = null; }
  forward() { this.#stack.push(this.current); this.current = this.next; }
  back() { this.current = this.#stack.pop(); }
  controls(onChange) {
    return h('nav', { class: 'pager', 'aria-label': t('page', { n: this.#stack.length + 1 }) },
      h('button', { type: 'button', 'data-focus-key': 'pager-previous', disabled: this.#stack.length === 0, onclick: () => { this.back(); onChange(); } }, t('previous')),
      h('span', {}, t('page', { n: number(this.#stack.length + 1) })),
      h('button', { type: 'button', 'data-focus-key': 'pager-next', disabled: !this.next, onclick: () => { this.forward(); onChange(); } }, t('next')));
  }
}

/** Resolves true when the user confirms; a modal dialog, so focus stays inside and Escape cancels. */
export function confirmDialog(text) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-text' },
      h('form', { method: 'dialog' },
        h('p', { id: 'confirm-text' }, text),
        h('div', { class: 'actions' },
          h('button', { value: 'no', class: 'secondary' }, t('no')),
          h('button', { value: 'yes', class: 'danger' }, t('yes')))));
    dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'yes'); dialog.remove(); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Sends per minute as bars, with the same figures in a table for screen readers. */
export function minuteChart(buckets) {
  const entries = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  if (entries.length === 0) return h('p', { class: 'muted' }, t('chartEmpty'));
  const max = Math.max(...entries.map(([, v]) => v));
  const width = 600, height = 160, gap = 2, bw = Math.min(40, Math.max(2, (width - gap * entries.length) / entries.length));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, class: 'chart', 'aria-hidden': 'true' },
    ...entries.map(([minute, v], i) => {
      const barHeight = max ? (v / max) * height : 0;
      return svg('rect', { x: i * (bw + gap), y: height - barHeight, width: bw, height: barHeight, class: 'chart-bar' },
        svg('title', {}, document.createTextNode(`${new Date(minute).toLocaleTimeString()}: ${v}`)));
    }),
    svg('text', { x: 0, y: height + 15, class: 'chart-axis' }, document.createTextNode(new Date(entries[0][0]).toLocaleTimeString())),
    svg('text', { x: width, y: height + 15, class: 'chart-axis', 'text-anchor': 'end' },
      document.createTextNode(new Date(entries.at(-1)[0]).toLocaleTimeString())));
  return h('figure', {}, chart,
    h('details', {}, h('summary', {}, t('sendsPerMinute')),
      table(null, [t('minute'), t('sends')], entries.map(([m, v]) => [dateTime(new Date(m)), number(v)]))));
}

/** A CSV line split on the separator, quotes honoured: enough for a preview of the first rows. */
export function parseCsvLine(line, sep) {
  const cells = []; let cell = ''; let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { cells.push(cell.trim()); cell = ''; }
    else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}
