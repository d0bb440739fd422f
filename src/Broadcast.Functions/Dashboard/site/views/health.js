// Health: storage reachable, each vendor configured or not (the API names missing settings, never secrets).
import { api, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { h, notice, problemText, table } from '../ui.js';

export function mount(main) {
  const message = h('div', { 'aria-live': 'polite' });
  const body = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: -1 }, t('healthTitle')), message, body);
  (async () => {
    let health;
    try {
      health = await api.health();
    } catch (e) {
      // 503 still carries the report: storage is what is down.
      if (!(e instanceof ApiError) || !e.problem?.vendors) { notice(message, problemText(e), 'error'); return; }
      health = e.problem;
    }
    const ok = (good, yes, no) => h('span', { class: good ? 'status status-completed' : 'status status-failed' }, good ? yes : no);
    body.replaceChildren(
      h('dl', { class: 'counters' }, h('div', {}, h('dt', {}, t('storage')), h('dd', {}, ok(health.storage_reachable, t('reachable'), t('unreachable'))))),
      table(null, [t('vendor'), t('status')], Object.entries(health.vendors ?? {}).map(([name, v]) => [name,
        h('span', {}, ok(v.configured, t('configured'), t('notConfigured')),
          v.missing_settings?.length ? ` ${t('missing', { settings: v.missing_settings.join(', ') })}` : '')]), { class: 'health' }));
  })();
}
