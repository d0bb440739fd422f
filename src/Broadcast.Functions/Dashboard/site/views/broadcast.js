// One broadcast: live counters and bar, its controls, sends per minute, failures by error, the recipients (with the
// provider that carried each), export, cancel, and resend to failed once it has finished.
import { api, apiKey, url } from '../api.js';
import { t, number, dateTime } from '../i18n.js';
import {
  h, statusBadge, progressBar, RateMeter, Pager, notice, problemText, every, finished, confirmDialog, minuteChart, table,
  replaceKeepingFocus,
} from '../ui.js';

const refreshMs = 2000;
// The chart and the failure groups read recipients page by page; they stop at this many so that a broadcast of a
// million does not make the browser read a million rows every few seconds.
const sampleLimit = 5000;
const samplePage = 1000;
const sampleEvery = 5; // refreshes of the counters per refresh of the chart and failures (about 10 s)
const recipientStatuses = ['queued', 'sent', 'delivered', 'read', 'failed', 'canceled', 'unknown', 'suppressed', 'expired'];
const dayOrder = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export function mount(main, { params: [id], navigate }) {
  const meter = new RateMeter();
  const pager = new Pager();
  let filter = '';
  let last = null;
  let ticks = 0;

  const title = h('h1', { tabindex: -1 }, t('broadcast'));
  const message = h('div', { 'aria-live': 'polite' });
  const actions = h('div', { class: 'actions' });
  const summary = h('section', { 'aria-label': t('progress') });
  const counters = h('section', { 'aria-labelledby': 'counters-h' });
  const controls = h('section', { 'aria-labelledby': 'controls-h' });
  const chart = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const failures = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const recipients = h('div', {});
  const request = h('pre', { class: 'request' });
  const statusSelect = h('select', { id: 'recipient-status', onchange: (e) => { filter = e.target.value; pager.reset(); loadRecipients(); } },
    h('option', { value: '' }, t('allStatuses')),
    recipientStatuses.map((s) => h('option', { value: s }, t('st_' + s))));

  main.append(
    h('p', {}, h('a', { href: '#/broadcasts' }, `← ${t('backToList')}`)),
    title, message, actions, summary,
    h('h2', { id: 'counters-h' }, t('counters')), counters,
    h('h2', { id: 'controls-h' }, t('controls')), controls,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'chart-h' }, h('h2', { id: 'chart-h' }, t('sendsPerMinute')), chart),
      h('section', { 'aria-labelledby': 'failures-h' }, h('h2', { id: 'failures-h' }, t('failuresByError')), failures)),
    h('section', { 'aria-labelledby': 'recipients-h' },
      h('h2', { id: 'recipients-h' }, t('recipients')),
      h('div', { class: 'filters' }, h('label', { for: 'recipient-status' }, t('filterStatus')), statusSelect),
      recipients),
    h('section', { 'aria-labelledby': 'request-h' }, h('h2', { id: 'request-h' }, t('request')), request));

  const showBroadcast = (b) => {
    title.textContent = b.name || b.id;
    meter.add(b);
    const { rate, left } = meter.describe(b);
    summary.replaceChildren(
      h('div', { class: 'summary-line' }, statusBadge(b.status, b.resumes_at),
        rate && h('span', {}, `${t('rate')}: ${rate}`), left && h('span', {}, `${t('timeLeft')}: ${left}`)),
      progressBar(b));
    const item = (label, value, key) => h('div', { 'data-count': key }, h('dt', {}, label), h('dd', {}, value));
    const fallback = b.fallback ?? [];
    counters.replaceChildren(h('dl', { class: 'counters' },
      item(t('total'), number(b.total_recipient)), item(t('st_queued'), number(b.total_queued)),
      item(t('st_sent'), number(b.total_sent)), item(t('delivered'), number(b.total_received)), item(t('read'), number(b.total_read)),
      item(t('st_failed'), number(b.total_failed)), item(t('st_canceled'), number(b.total_canceled)),
      item(t('st_suppressed'), number(b.total_suppressed)), item(t('st_unknown'), number(b.total_unknown)),
      item(t('st_expired'), number(b.total_expired), 'total_expired'),
      fallback.length > 0 && item(t('fallback'), [b.provider, ...fallback].join(' → '), 'fallback'),
      fallback.length > 0 && item(t('failedOver'), number(b.total_failover), 'total_failover'),
      item(t('created'), dateTime(b.created_at)), item(t('startedAt'), dateTime(b.started_at)),
      b.status === 'waiting' && b.resumes_at && item(t('resumesAt'), dateTime(b.resumes_at), 'resumes_at'),
      b.completed_at && item(t('completedAt'), dateTime(b.completed_at)), b.canceled_at && item(t('canceledAt'), dateTime(b.canceled_at)),
      b.error && item(t('error'), b.error)));
    const windowText = b.window && `${b.window.from}–${b.window.to}, ${b.window.days.length === 7 ? t('everyDay')
      : dayOrder.filter((d) => b.window.days.includes(d)).map((d) => t('day_' + d)).join(', ')}`;
    const control = (key, label, value) => value !== null && value !== undefined && value !== ''
      && h('div', { 'data-control': key }, h('dt', {}, label), h('dd', {}, value));
    controls.replaceChildren(h('dl', { class: 'counters' },
      control('time_zone', t('timeZone'), b.time_zone), control('window', t('window'), windowText),
      control('expires_at', t('expiresAt'), b.expires_at && dateTime(b.expires_at)),
      control('max_per_minute', t('maxPerMinute'), b.max_per_minute && number(b.max_per_minute)),
      control('notify_url', t('notifyUrl'), b.notify_url),
      control('resend_of', t('resendOf'), b.resend_of && h('a', { href: `#/broadcasts/${encodeURIComponent(b.resend_of)}` }, b.resend_of))));
    request.textContent = JSON.stringify({
      name: b.name, provider: b.provider, fallback: fallback.length ? fallback : undefined, ...(b.message ?? {}), upload_id: b.upload_id, started_at: b.started_at,
      delivery: b.delivery, native_bulk: b.native_bulk, time_zone: b.time_zone, window: b.window ?? undefined,
      expires_at: b.expires_at ?? undefined, max_per_minute: b.max_per_minute ?? undefined, notify_url: b.notify_url ?? undefined,
    }, null, 2);
    const toResend = (b.total_failed ?? 0) + (b.total_unknown ?? 0);
    actions.replaceChildren(
      h('button', { type: 'button', class: 'secondary', 'data-focus-key': 'export', onclick: () => exportCsv(b) }, t('exportCsv')),
      finished(b.status) ? '' : h('button', { type: 'button', class: 'danger', 'data-focus-key': 'cancel', onclick: () => cancel(b) }, t('cancelBroadcast')),
      finished(b.status) && toResend > 0
        ? h('button', { type: 'button', 'data-focus-key': 'resend', onclick: () => resend(b, toResend) }, t('resendFailed')) : '');
  };

  const resend = async (b, n) => {
    if (!(await confirmDialog(t('resendConfirm', { n: number(n), name: b.name || b.id })))) return;
    try {
      const created = await api.resend(b.id);
      navigate(`#/broadcasts/${encodeURIComponent(created.id)}`);
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const exportCsv = async (b) => {
    const name = `broadcast-${b.id}-recipients.csv`;
    if (!apiKey.get()) { h('a', { href: url(`broadcasts/${encodeURIComponent(b.id)}/recipients.csv`), download: name }).click(); return; }
    // With a key the file must be fetched with the key header (a link cannot send one, and a key in the URL leaks).
    try {
      const response = await api.recipientsCsv(b.id);
      const href = URL.createObjectURL(await response.blob());
      h('a', { href, download: name }).click();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const cancel = async (b) => {
    if (!(await confirmDialog(t('cancelConfirm', { name: b.name || b.id })))) return;
    try {
      showBroadcast(await api.cancel(b.id));
      notice(message, t('cancelDone'));
      restart();
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const carrier = (r) => h('span', { class: 'provider', 'data-provider': r.provider ?? '' }, r.provider ?? '');
  // With a fallback, each provider's tries in order ("omnichat 1 → khoros 1"); the total alone otherwise.
  const attempts = (r) => ((r.attempts_by_provider?.length ?? 0) > 1
    ? h('span', { class: 'tries', title: r.attempts_by_provider.map((a) => a.error ? `${a.provider}: ${a.error}` : a.provider).join('\n') },
      r.attempts_by_provider.map((a) => `${a.provider} ${number(a.attempts)}`).join(' → '))
    : number(r.attempts));

  const loadRecipients = async () => {
    try {
      const page = await api.recipients(id, { status: filter || undefined, continuation: pager.current, limit: 50 });
      pager.next = page.continuation;
      replaceKeepingFocus(recipients,
        page.items.length === 0 ? h('p', { class: 'muted' }, t('none')) : h('div', { class: 'table-wrap' }, table(null,
          [t('row'), t('phone'), t('name'), t('status'), t('carriedBy'), t('attempts'), t('messageId'), t('error'), t('sentAt')],
          page.items.map((r) => [number(r.row), r.phone_number, r.name ?? '', statusBadge(r.status), carrier(r), attempts(r),
            r.provider_message_id ?? '', r.error ?? '', dateTime(r.sent_at)]), { class: 'recipients' })),
        pager.controls(loadRecipients));
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  async function sample(status) {
    const items = [];
    let continuation;
    do {
      const page = await api.recipients(id, { status, continuation, limit: samplePage });
      items.push(...page.items);
      continuation = page.continuation;
    } while (continuation && items.length < sampleLimit);
    return items;
  }

  const loadCharts = async () => {
    const [all, failed] = await Promise.all([sample(undefined), sample('failed')]);
    const buckets = new Map();
    for (const r of all) {
      if (!r.sent_at) continue;
      const minute = Math.floor(Date.parse(r.sent_at) / 60_000) * 60_000;
      buckets.set(minute, (buckets.get(minute) ?? 0) + 1);
    }
    chart.replaceChildren(minuteChart(buckets), all.length >= sampleLimit ? h('p', { class: 'muted small' }, t('chartNote', { n: number(all.length) })) : '');
    const groups = new Map();
    for (const r of failed) groups.set(r.error || '—', (groups.get(r.error || '—') ?? 0) + 1);
    const sorted = [...groups.entries()].sort((a, b) => b[1] - a[1]);
    failures.replaceChildren(sorted.length === 0 ? h('p', { class: 'muted' }, t('noFailures'))
      : table(null, [t('error'), t('count')], sorted.map(([error, n]) => [error, number(n)]), { class: 'failures' }));
  };

  let stop = null;
  const restart = () => { stop?.(); stop = every(refreshMs, tick); };
  const tick = async () => {
    try {
      const b = await api.broadcast(id);
      const wasFinished = last && finished(last.status);
      last = b;
      showBroadcast(b);
      if (message.querySelector('.notice-error')) notice(message, '');
      const end = finished(b.status);
      await loadRecipients();
      if (ticks++ % sampleEvery === 0 || end) await loadCharts();
      if (end && !wasFinished) stop?.(); // one last full refresh, then nothing changes any more
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };
  restart();
  return () => stop?.();
}
