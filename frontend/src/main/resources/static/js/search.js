// Search box (id="search"): points by name or address, areas by name or grid code, via api/search.
// Choosing a result calls onChoose(result) (the dashboard fits its bbox and opens its panel).
import { el, debounce } from './dom.js';
import { t } from './i18n.js';
import { api, isAbort } from './api.js';

export function createSearch(host, { onChoose }) {
  const input = el('input', {
    className: 'cg-search-input',
    attrs: {
      type: 'search', id: 'search', autocomplete: 'off', spellcheck: 'false', role: 'combobox',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'search-results', maxlength: '100',
    },
  });
  const list = el('ul', { className: 'cg-search-results', attrs: { id: 'search-results', role: 'listbox', hidden: '' } });
  const box = el('div', { className: 'cg-search', attrs: { role: 'search' } }, [input, list]);
  host.append(box);

  let results = [];
  let active = -1;
  let ctl = null;

  function label() {
    input.placeholder = t('search.placeholder');
    input.setAttribute('aria-label', t('search.label'));
  }
  label();

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  }

  function choose(i) {
    const r = results[i];
    if (!r) return;
    input.value = r.name || '';
    close();
    onChoose(r);
  }

  function render(message) {
    list.replaceChildren();
    if (message) {
      list.append(el('li', { className: 'cg-search-note', text: message, attrs: { role: 'presentation' } }));
    }
    results.forEach((r, i) => {
      const item = el('li', {
        className: 'cg-search-item',
        attrs: {
          role: 'option', id: `search-result-${i}`, 'aria-selected': i === active ? 'true' : 'false',
          'data-kind': r.kind || '', 'data-code': r.code || null, 'data-id': r.id != null ? r.id : null,
        },
      }, [
        el('span', { className: 'cg-search-kind', text: t(`search.kind.${r.kind}`) === `search.kind.${r.kind}` ? String(r.kind || '') : t(`search.kind.${r.kind}`) }),
        el('span', { className: 'cg-search-name', text: r.name || r.code || '' }),
        r.detail ? el('span', { className: 'cg-search-detail', text: r.detail }) : null,
      ]);
      item.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
      list.append(item);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  const run = debounce(async () => {
    const q = input.value.trim();
    if (ctl) ctl.abort();
    if (!q) { results = []; close(); return; }
    ctl = new AbortController();
    const { signal } = ctl;
    try {
      const answer = await api.search(q, signal);
      if (signal.aborted) return;
      results = Array.isArray(answer) ? answer.slice(0, 20) : [];
      active = results.length ? 0 : -1;
      render(results.length ? null : t('search.none'));
    } catch (err) {
      if (isAbort(err)) return;
      results = [];
      render(t('search.failed'));
    }
  }, 250);

  input.addEventListener('input', run);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results.length) return;
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
      render();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('focus', () => { if (results.length) render(); });

  return { input, render: label };
}
