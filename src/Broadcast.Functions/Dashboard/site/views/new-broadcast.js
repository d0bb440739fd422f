// New broadcast: drop a CSV, read the validation report, write the message or pick a registered template (with the
// columns that feed its variables), preview it, choose the fallback providers, send now or schedule, and optionally
// its controls: time zone, delivery window, expiry, speed cap, the URL told when it finishes.
import { api } from '../api.js';
import { t, number } from '../i18n.js';
import { h, notice, problemText, table, parseCsvLine } from '../ui.js';
import { contentForm, columnsFor } from '../content-form.js';

const previewRows = 3;
const phoneColumns = ['phone', 'phone_number', 'phonenumber', 'msisdn', 'to'];
const nameColumns = ['name', 'customer_name'];

const pad = (n) => String(n).padStart(2, '0');
const localInputValue = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** "+07:00" for a local date: the browser's offset at that instant (daylight saving included). */
export function offsetOf(date) {
  const minutes = -date.getTimezoneOffset();
  const a = Math.abs(minutes);
  return `${minutes >= 0 ? '+' : '-'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** A datetime-local value ("2026-11-21T14:05") as ISO 8601 with the browser's offset: the instant the user meant. */
export function withOffset(local) {
  const date = new Date(local);
  return `${local.length === 16 ? local + ':00' : local}${offsetOf(date)}`;
}

/** The zones offered besides the app's own: Indonesia's three, and UTC. */
export const zones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'];
const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A datetime-local value as the API reads it: in the chosen zone (no offset, the zone goes as time_zone), or
 * without one chosen, as the browser's clock shows it (with the browser's offset). */
export const asApiTime = (local, zone) => (zone ? (local.length === 16 ? local + ':00' : local) : withOffset(local));

const newKey = () => (crypto.randomUUID ? crypto.randomUUID()
  : [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join(''));

export function mount(main, { navigate }) {
  let upload = null;
  let sample = null; // { headers, rows } from the file itself, for the preview
  let file = null;
  let idempotencyKey = newKey();

  const message = h('div', { 'aria-live': 'polite' });
  const content = contentForm('nb', { onChange: () => renderPreview() });
  const fileInput = h('input', { id: 'nb-file', type: 'file', accept: '.csv,text/csv', class: 'file-input',
    onchange: (e) => e.target.files[0] && choose(e.target.files[0]) });
  const drop = h('label', { class: 'drop', for: 'nb-file' },
    h('span', {}, t('dropHere')), fileInput);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) choose(e.dataTransfer.files[0]);
  });
  const report = h('div', { 'aria-live': 'polite', id: 'nb-report' });
  const preview = h('div', { id: 'nb-preview', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('previewNone')));
  const mapping = h('div', { id: 'nb-mapping' });
  let previewSeq = 0; // a slower answer for an earlier choice must not replace the preview of the current one
  const name = h('input', { id: 'nb-name', name: 'name', autocomplete: 'off' });
  const now = h('input', { type: 'radio', name: 'when', id: 'nb-now', value: 'now', checked: true, onchange: () => updateWhen() });
  const later = h('input', { type: 'radio', name: 'when', id: 'nb-later', value: 'later', onchange: () => updateWhen() });
  const at = h('input', { type: 'datetime-local', id: 'nb-at', name: 'started_at', oninput: () => updateWhen(),
    value: localInputValue(new Date(Date.now() + 10 * 60_000)) });
  const zone = h('p', { class: 'muted small', id: 'nb-zone' });
  const atField = h('div', { class: 'field' }, h('label', { for: 'nb-at' }, t('scheduleAt')), at, zone);
  const submit = h('button', { type: 'submit', id: 'nb-submit' }, t('startBroadcast'));

  // The controls
  const tz = h('select', { id: 'nb-tz', name: 'time_zone', onchange: () => updateWhen() },
    h('option', { value: '' }, t('tzDefault')), zones.map((z) => h('option', { value: z }, z)));
  const windowOn = h('input', { type: 'checkbox', id: 'nb-window', onchange: () => { windowFields.hidden = !windowOn.checked; } });
  const windowFrom = h('input', { type: 'time', id: 'nb-window-from', value: '08:00' });
  const windowTo = h('input', { type: 'time', id: 'nb-window-to', value: '20:00' });
  const dayBoxes = days.map((d) => h('input', { type: 'checkbox', id: `nb-day-${d}`, value: d, checked: true }));
  const windowFields = h('div', { id: 'nb-window-fields', hidden: true },
    h('div', { class: 'inline-fields' },
      h('div', { class: 'field' }, h('label', { for: 'nb-window-from' }, t('windowFrom')), windowFrom),
      h('div', { class: 'field' }, h('label', { for: 'nb-window-to' }, t('windowTo')), windowTo)),
    h('fieldset', { class: 'days' }, h('legend', {}, t('windowDays')),
      dayBoxes.map((box, i) => h('label', {}, box, ' ', t('day_' + days[i])))),
    h('p', { class: 'muted small' }, t('windowHelp')));
  const expires = h('input', { type: 'datetime-local', id: 'nb-expires', name: 'expires_at', 'aria-describedby': 'nb-expires-help' });
  const maxPerMinute = h('input', { type: 'number', id: 'nb-max-per-minute', name: 'max_per_minute', min: 1, step: 1, inputmode: 'numeric',
    'aria-describedby': 'nb-max-help' });
  const notifyUrl = h('input', { type: 'url', id: 'nb-notify', name: 'notify_url', autocomplete: 'off', placeholder: 'https://', 'aria-describedby': 'nb-notify-help' });
  const controls = h('fieldset', { class: 'controls' }, h('legend', { class: 'visually-hidden' }, t('step4')),
    h('div', { class: 'field' }, h('label', { for: 'nb-tz' }, t('timeZone')), tz),
    h('label', {}, windowOn, ' ', t('windowOn')), windowFields,
    h('div', { class: 'field' }, h('label', { for: 'nb-expires' }, t('expiresAt')), expires, h('p', { class: 'muted small', id: 'nb-expires-help' }, t('expiresHelp'))),
    h('div', { class: 'field' }, h('label', { for: 'nb-max-per-minute' }, t('maxPerMinute')), maxPerMinute,
      h('p', { class: 'muted small', id: 'nb-max-help' }, t('maxPerMinuteHelp'))),
    h('div', { class: 'field' }, h('label', { for: 'nb-notify' }, t('notifyUrl')), notifyUrl,
      h('p', { class: 'muted small', id: 'nb-notify-help' }, t('notifyHelp'))));

  content.provider.addEventListener('change', () => { if (file) choose(file); });

  function updateWhen() {
    atField.hidden = !later.checked;
    at.setAttribute('aria-describedby', 'nb-zone');
    const date = at.value ? new Date(at.value) : new Date();
    zone.textContent = tz.value ? t('readIn', { zone: tz.value })
      : t('yourZone', { zone: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: offsetOf(date) });
    submit.textContent = later.checked ? t('scheduleBroadcast') : t('startBroadcast');
  }

  async function choose(chosen) {
    file = chosen;
    upload = null;
    idempotencyKey = newKey();
    notice(message, '');
    report.replaceChildren(h('p', { class: 'muted' }, t('checking')));
    sample = await readSample(chosen);
    if (!name.value) name.value = chosen.name.replace(/\.csv$/i, '');
    try {
      upload = await api.upload(chosen, content.provider.value);
      showReport(upload);
    } catch (e) {
      if (e.status === 422 && e.problem?.errors) showReport({ ...e.problem, usable: false });
      else report.replaceChildren(h('p', { class: 'notice notice-error', role: 'alert' }, problemText(e)));
    }
    renderPreview();
  }

  async function readSample(chosen) {
    // Enough bytes for a header and a few rows; the preview only needs the first ones.
    const text = (await chosen.slice(0, 64 * 1024).text()).replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, previewRows + 1);
    if (lines.length === 0) return null;
    const sep = (lines[0].match(/;/g)?.length ?? 0) > (lines[0].match(/,/g)?.length ?? 0) ? ';' : ',';
    const [headers, ...rows] = lines.map((l) => parseCsvLine(l, sep));
    return { headers, rows };
  }

  function showReport(u) {
    const errors = [...(u.errors ?? [])];
    let continuation = null;
    const errorTable = h('div', {});
    const more = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try {
        const page = await api.uploadErrors(u.upload_id, continuation ?? undefined, 1000);
        if (continuation === null) errors.length = 0;
        errors.push(...page.errors);
        continuation = page.continuation;
        more.hidden = !continuation;
        drawErrors();
      } catch (e) { notice(message, problemText(e), 'error'); }
    } }, t('moreErrors'));
    more.hidden = !(u.upload_id && (u.errors?.length ?? 0) >= 100);
    const drawErrors = () => errorTable.replaceChildren(errors.length === 0 ? h('p', {}, t('noErrors'))
      : h('div', { class: 'table-wrap' }, table(t('rowErrors'), [t('row'), t('column'), t('message')],
        errors.map((e) => [number(e.row), e.column ?? '', e.error]), { class: 'row-errors' })));
    drawErrors();
    const item = (label, value, key) => h('div', { 'data-count': key }, h('dt', {}, label), h('dd', {}, value));
    report.replaceChildren(
      h('h3', {}, t('report')),
      h('dl', { class: 'counters' },
        item(t('totalRows'), number(u.total_rows), 'total_rows'), item(t('validRows'), number(u.valid_recipients), 'valid_recipients'),
        item(t('invalidRows'), number(u.invalid_rows), 'invalid_rows'), item(t('duplicates'), number(u.duplicates_removed), 'duplicates_removed'),
        item(t('layout'), u.layout ?? '', 'layout')),
      u.usable === false ? h('p', { class: 'notice notice-error', role: 'alert' }, t('notUsable')) : '',
      errorTable, more);
  }

  /** Which of the upload's columns feed each variable of the chosen template's variant. */
  function renderMapping() {
    const variant = content.kind() === 'template' ? content.template()?.variants?.[content.provider.value] : null;
    const rows = variant && upload?.upload_id ? columnsFor(variant, upload.variable_names ?? []) : [];
    mapping.replaceChildren(rows.length === 0 ? '' : h('div', { class: 'table-wrap' }, table(t('columnsFeed'), [t('variableColumn'), t('csvColumn')],
      rows.map((r) => [r.variable, r.column ?? h('span', { class: 'missing' }, t('columnMissing'))]), { class: 'mapping' })));
  }

  /** The first rows' texts as the app makes them from the template's body. */
  async function renderTemplatePreview() {
    const seq = ++previewSeq;
    const chosen = content.template();
    if (!upload?.upload_id || upload.usable === false || !chosen) { preview.replaceChildren(h('p', { class: 'muted' }, t('previewNone'))); return; }
    if (!chosen.body) { preview.replaceChildren(h('p', { class: 'muted' }, t('previewNoBody'))); return; }
    try {
      const answer = await api.uploadPreview(upload.upload_id, chosen.name, content.provider.value, previewRows);
      if (seq !== previewSeq) return;
      preview.replaceChildren(h('ul', { class: 'preview' }, answer.items.map((item) => h('li', {},
        h('strong', {}, `${item.phone_number}${item.name ? ' · ' + item.name : ''}`), h('span', {}, item.text)))));
    } catch (e) {
      if (seq === previewSeq) preview.replaceChildren(h('p', { class: 'notice notice-error', role: 'alert' }, problemText(e)));
    }
  }

  function renderPreview() {
    renderMapping();
    if (content.kind() === 'template') { renderTemplatePreview(); return; }
    previewSeq++;
    if (!sample || sample.rows.length === 0) { preview.replaceChildren(h('p', { class: 'muted' }, t('previewNone'))); return; }
    const lower = sample.headers.map((x) => x.toLowerCase().replace(/\s+/g, ''));
    const phoneAt = lower.findIndex((x) => phoneColumns.includes(x));
    const nameAt = lower.findIndex((x) => nameColumns.includes(x));
    const variableAt = (upload?.variable_names?.length ? upload.variable_names.map((v) => sample.headers.indexOf(v)).filter((i) => i >= 0)
      : sample.headers.map((_, i) => i).filter((i) => i !== phoneAt && i !== nameAt));
    const request = content.read();
    const bare = (x) => x.trim().replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
    const fill = (textValue, row) => textValue
      .replace(/\{\{\s*(\d+)\s*\}\}/g, (m, n) => row[variableAt[n - 1]] ?? m)
      .replace(/\{([^{}]+)\}/g, (m, key) => {
        const i = sample.headers.findIndex((x) => bare(x) === bare(key));
        if (i >= 0) return row[i] ?? m;
        return bare(key) === 'name' && nameAt >= 0 ? row[nameAt] : m;
      });
    const render = (row) => (request.text !== undefined ? fill(request.text, row) : request.event);
    preview.replaceChildren(h('ul', { class: 'preview' }, sample.rows.map((row) => h('li', {},
      h('strong', {}, `${row[phoneAt] ?? ''}${nameAt >= 0 && row[nameAt] ? ' · ' + row[nameAt] : ''}`), h('span', {}, render(row))))));
  }

  async function send(e) {
    e.preventDefault();
    if (!upload?.upload_id || upload.usable === false) { notice(message, t('needFile'), 'error'); return; }
    const request = { name: name.value.trim() || undefined, ...content.read(), upload_id: upload.upload_id };
    const zoneChosen = tz.value;
    if (zoneChosen) request.time_zone = zoneChosen;
    if (later.checked) {
      if (!at.value) { notice(message, t('needTime'), 'error'); return; }
      request.started_at = asApiTime(at.value, zoneChosen);
    }
    if (windowOn.checked) {
      const chosen = dayBoxes.filter((b) => b.checked).map((b) => b.value);
      if (chosen.length === 0) { notice(message, t('needDay'), 'error'); return; }
      request.window = { from: windowFrom.value, to: windowTo.value, days: chosen };
    }
    if (expires.value) request.expires_at = asApiTime(expires.value, zoneChosen);
    if (maxPerMinute.value) request.max_per_minute = Number(maxPerMinute.value);
    if (notifyUrl.value.trim()) request.notify_url = notifyUrl.value.trim();
    submit.disabled = true;
    try {
      const accepted = await api.createBroadcast(request, idempotencyKey);
      navigate(`#/broadcasts/${encodeURIComponent(accepted.id)}`);
    } catch (err) {
      notice(message, problemText(err), 'error');
    } finally {
      submit.disabled = false;
    }
  }

  main.append(h('h1', { tabindex: -1 }, t('newTitle')),
    h('form', { id: 'new-broadcast', onsubmit: send, novalidate: true },
      h('section', { 'aria-labelledby': 'nb-s1' }, h('h2', { id: 'nb-s1' }, t('step1')), drop, report),
      h('section', { 'aria-labelledby': 'nb-s2' }, h('h2', { id: 'nb-s2' }, t('step2')),
        h('div', { class: 'field' }, h('label', { for: 'nb-name' }, t('broadcastName')), name),
        content.element, mapping,
        h('h3', {}, t('preview')), preview),
      h('section', { 'aria-labelledby': 'nb-s3' }, h('h2', { id: 'nb-s3' }, t('step3')),
        h('fieldset', { class: 'when' }, h('legend', { class: 'visually-hidden' }, t('step3')),
          h('label', {}, now, ' ', t('sendNow')), h('label', {}, later, ' ', t('schedule'))),
        atField),
      h('section', { 'aria-labelledby': 'nb-s4' }, h('h2', { id: 'nb-s4' }, t('step4')), controls),
      message,
      h('div', { class: 'actions' }, submit)));
  updateWhen();
}
