// Broadcasts, newest first, paged; each row's bar, rate and time left update by themselves every 2 s.
import { api } from '../api.js';
import { t, number, dateTime } from '../i18n.js';
import { h, statusBadge, progressBar, RateMeter, Pager, notice, problemText, every, replaceKeepingFocus } from '../ui.js';

export const refreshMs = 2000;

export function mount(main) {
  const pager = new Pager();
  const meters = new Map();
  const message = h('div', { 'aria-live': 'polite' });
  const body = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: -1 }, t('navBroadcasts')), h('p', { class: 'muted' }, t('liveNote')), message, body);

  let stop = null;
  const load = async () => {
    try {
      const page = await api.broadcasts(pager.current);
      pager.next = page.continuation;
      notice(message, '');
      replaceKeepingFocus(body, page.items.length === 0 && !pager.current ? h('p', {}, t('noBroadcasts')) : view(page.items));
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };
  const view = (items) => h('div', {},
    h('div', { class: 'table-wrap' }, h('table', { class: 'broadcasts' },
      h('thead', {}, h('tr', {}, [t('name'), t('provider'), t('status'), t('progress'), t('rate'), t('timeLeft'), t('created')]
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, items.map((b) => {
        const meter = meters.get(b.id) ?? new RateMeter();
        meters.set(b.id, meter);
        meter.add(b);
        const { rate, left } = meter.describe(b);
        return h('tr', { 'data-id': b.id },
          h('td', {}, h('a', { href: `#/broadcasts/${encodeURIComponent(b.id)}`, 'data-focus-key': b.id }, b.name || b.id)),
          h('td', {}, b.provider),
          h('td', {}, statusBadge(b.status, b.resumes_at)),
          h('td', { class: 'progress-cell' }, progressBar(b), h('span', { class: 'muted small' }, `${number(b.total_recipient - b.total_queued)} / ${number(b.total_recipient)}`)),
          h('td', {}, rate),
          h('td', {}, left),
          h('td', {}, dateTime(b.created_at)));
      })))),
    pager.controls(() => { stop?.(); stop = every(refreshMs, load); }));

  stop = every(refreshMs, load);
  return () => stop?.();
}
