// Registered templates in name order, paged: each one's providers and body, to open (edit, preview) or delete.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, notice, problemText, Pager, confirmDialog } from '../ui.js';
import { providerLabel } from '../content-form.js';

export function mount(main) {
  const pager = new Pager();
  const message = h('div', { 'aria-live': 'polite' });
  const list = h('div', {}, h('p', { class: 'muted' }, t('loading')));

  const load = async () => {
    try {
      const page = await api.templates(pager.current, 50);
      pager.next = page.continuation;
      list.replaceChildren(page.items.length === 0 && !pager.current ? h('p', {}, t('noTemplates')) : h('div', { class: 'table-wrap' },
        h('table', { class: 'templates' },
          h('thead', {}, h('tr', {}, [t('name'), t('providers'), t('templateBody'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, page.items.map((x) => h('tr', { 'data-name': x.name },
            h('td', {}, h('a', { href: `#/templates/${encodeURIComponent(x.name)}` }, x.name)),
            h('td', {}, Object.keys(x.variants).map(providerLabel).join(', ')),
            h('td', { class: 'muted' }, x.body ?? ''),
            h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `${t('delete')} ${x.name}`, onclick: () => remove(x.name) },
              t('delete'))))))),
        pager.controls(load)));
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  const remove = async (name) => {
    if (!(await confirmDialog(t('deleteTemplateConfirm', { name })))) return;
    try {
      await api.deleteTemplate(name);
      notice(message, t('templateDeleted', { name }));
      pager.reset();
      await load();
    } catch (e) {
      notice(message, problemText(e), 'error');
    }
  };

  main.append(h('h1', { tabindex: -1 }, t('templatesTitle')), h('p', { class: 'muted' }, t('templatesHelp')),
    h('div', { class: 'actions' }, h('a', { href: '#/new-template', class: 'button', id: 'new-template' }, t('newTemplate'))),
    message, list);
  load();
}
