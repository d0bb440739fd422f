// One message: a test to one's own number before a broadcast.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, notice, problemText, statusBadge } from '../ui.js';
import { contentForm } from '../content-form.js';

export function mount(main) {
  const content = contentForm('msg', { variables: true });
  const to = h('input', { id: 'msg-to', name: 'to', type: 'tel', autocomplete: 'tel', required: true });
  const name = h('input', { id: 'msg-name', name: 'name', autocomplete: 'off' });
  const message = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, t('send'));

  async function send(e) {
    e.preventDefault();
    submit.disabled = true;
    try {
      const request = { ...content.read(), to: to.value, name: name.value || undefined };
      const result = await api.sendMessage(request);
      message.replaceChildren(h('p', { class: 'notice notice-info', role: 'status' },
        t('sentResult'), ' ', statusBadge(result.recipient?.status ?? result.status), ' ',
        h('a', { href: `#/broadcasts/${encodeURIComponent(result.id)}` }, t('viewIt'))));
    } catch (err) {
      notice(message, problemText(err), 'error');
    } finally {
      submit.disabled = false;
    }
  }

  main.append(h('h1', { tabindex: -1 }, t('messageTitle')), h('p', { class: 'muted' }, t('messageHelp')),
    h('form', { id: 'single-message', onsubmit: send, novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'msg-to' }, t('to')), to),
      h('div', { class: 'field' }, h('label', { for: 'msg-name' }, t('name')), name),
      content.element, message, h('div', { class: 'actions' }, submit)));
}
