// The suppression list: numbers that are never messaged; add one, allow one again.
import { api } from '../api.js';
import { t, dateTime } from '../i18n.js';
import { h, notice, problemText, Pager, confirmDialog } from '../ui.js';

export function mount(main) {
  const pager = new Pager();
  const message = h('div', { 'aria-live': 'polite' });
  const list = h('div', {}, h('p', { class: 'muted' }, t('loading')));
  const phone = h('input', { id: 'sup-phone', name: 'phone_number', type: 'tel', required: true, autocomplete: 'off' });
  const reason = h('input', { id: 'sup-reason', name: 'reason', autocomplete: 'off' });

  const load = async () => {
    try {
      const page = await api.suppressions(pager.current);
      pager.next = page.continuation;
      list.replaceChildren(page.items.length === 0 ? h('p', {}, t('none')) : h('div', { class: 'table-wrap' },
        h('table', { class: 'suppressions' },
          h('thead', {}, h('tr', {}, [t('phone'), t('reason'), t('source'), t('created'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, page.items.map((s) => h('tr', {},
            h('td', {}, s.phone_number), h('td', {}, s.reason ?? ''), h('td', {}, s.source), h('td', {}, dateTime(s.created_at)),
            h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `${t('remove')} ${s.phone_number}`,
              onclick: () => remove(s.phone_number) }, t('remove')))))))),
        pager.controls(load));
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const remove = async (number) => {
    if (!(await confirmDialog(t('removeConfirm', { phone: number })))) return;
    try {
      await api.removeSuppression(number);
      notice(message, t('removed', { phone: number }));
      await load();
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const add = async (e) => {
    e.preventDefault();
    try {
      const saved = await api.addSuppression(phone.value, reason.value || undefined);
      notice(message, t('added', { phone: saved.phone_number }));
      phone.value = reason.value = '';
      pager.reset();
      await load();
    } catch (err) {
      notice(message, problemText(err), 'error');
    }
  };

  main.append(h('h1', { tabindex: -1 }, t('suppressionsTitle')), h('p', { class: 'muted' }, t('suppressionsHelp')),
    h('form', { class: 'inline-form', onsubmit: add, novalidate: true, 'aria-labelledby': 'sup-add' },
      h('h2', { id: 'sup-add' }, t('addSuppression')),
      h('div', { class: 'field' }, h('label', { for: 'sup-phone' }, t('phone')), phone),
      h('div', { class: 'field' }, h('label', { for: 'sup-reason' }, t('reason')), reason),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('addSuppression')))),
    message, list);
  load();
}
