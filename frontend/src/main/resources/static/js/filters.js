// Filters panel (id="filters"): point type, special action (专项行动), problem category, status, traffic
// light and reported-date range. Every change calls onChange(filters); the dashboard reloads the layers
// and writes the URL. Checkbox ids: filter-{key}-{CODE}; dates: filter-from, filter-to.
import { el } from './dom.js';
import { t } from './i18n.js';
import { STATUSES, localName, statusLabel, label } from './loop.js';
import { typeName } from './layers/points.js';
import { emptyFilters, activeFilterCount, FILTER_LISTS } from './view-state.js';

const LIGHTS = ['RED', 'YELLOW', 'GREEN'];

export function createFilters(host, { pointTypes, categories, onChange }) {
  let filters = emptyFilters();
  const types = Array.isArray(pointTypes) ? pointTypes : [];
  const cats = Array.isArray(categories) ? categories : [];
  const actions = [];
  const seen = new Set();
  for (const c of cats) {
    if (c.actionCode && !seen.has(c.actionCode)) {
      seen.add(c.actionCode);
      actions.push({ code: c.actionCode, nameZh: c.actionNameZh, nameEn: c.actionNameEn });
    }
  }

  const toggle = el('button', {
    className: 'cg-tool-button cg-filters-toggle', attrs: { type: 'button', id: 'filters-toggle', 'aria-expanded': 'false', 'aria-controls': 'filters' },
  });
  const panel = el('form', { className: 'cg-filters', attrs: { id: 'filters', hidden: '', novalidate: '' } });
  host.append(panel);

  const options = {
    pointType: () => types.map((ty) => [ty.code, typeName(ty)]),
    action: () => actions.map((a) => [a.code, localName(a)]),
    category: () => cats
      .filter((c) => !filters.action.length || filters.action.includes(c.actionCode))
      .map((c) => [c.code, localName(c)]),
    status: () => STATUSES.map((s) => [s, statusLabel(s)]),
    light: () => LIGHTS.map((l) => [l, label('light', l)]),
  };
  const openSections = new Set(['light', 'status']);

  function group(key) {
    const items = options[key]();
    const chosen = filters[key].length;
    const details = el('details', { className: 'cg-filter-group', attrs: { 'data-filter': key } });
    details.open = openSections.has(key) || chosen > 0;
    details.addEventListener('toggle', () => { if (details.open) openSections.add(key); else openSections.delete(key); });
    details.append(el('summary', {}, [
      el('span', { text: t(`filters.${key}`) }),
      chosen ? el('span', { className: 'cg-filter-count', text: chosen }) : null,
    ]));
    const list = el('div', { className: `cg-filter-options cg-filter-${key}` });
    for (const [code, text] of items) {
      const id = `filter-${key}-${code}`;
      const box = el('input', { attrs: { type: 'checkbox', id, name: key, value: code } });
      box.checked = filters[key].includes(code);
      list.append(el('label', { className: 'cg-check', attrs: { for: id, 'data-light': key === 'light' ? code : null } }, [box, el('span', { text })]));
    }
    if (!items.length) list.append(el('p', { className: 'cg-panel-note', text: t('panel.none') }));
    details.append(list);
    return details;
  }

  function render() {
    const n = activeFilterCount(filters);
    toggle.replaceChildren(...[el('span', { text: t('filters.button') }), n ? el('span', { className: 'cg-filter-count', text: n }) : null].filter(Boolean));
    toggle.dataset.active = String(n);
    const from = el('input', { attrs: { type: 'date', id: 'filter-from', name: 'from', value: filters.from || null } });
    const to = el('input', { attrs: { type: 'date', id: 'filter-to', name: 'to', value: filters.to || null } });
    const close = el('button', { className: 'cg-panel-close', text: '×', attrs: { type: 'button', 'aria-label': t('common.close'), title: t('common.close') } });
    close.addEventListener('click', () => setOpen(false));
    const reset = el('button', { className: 'btn', text: t('filters.reset'), attrs: { type: 'button', id: 'filters-reset' } });
    reset.disabled = n === 0;
    reset.addEventListener('click', () => { filters = emptyFilters(); render(); onChange(filters); });
    panel.replaceChildren(
      el('header', { className: 'cg-filters-head' }, [el('h2', { text: t('filters.title') }), close]),
      ...['light', 'status', 'action', 'category', 'pointType'].map(group),
      el('fieldset', { className: 'cg-filter-dates' }, [
        el('legend', { text: t('filters.dates') }),
        el('label', { attrs: { for: 'filter-from' } }, [el('span', { text: t('filters.from') }), from]),
        el('label', { attrs: { for: 'filter-to' } }, [el('span', { text: t('filters.to') }), to]),
      ]),
      el('div', { className: 'cg-filters-actions' }, [reset]),
    );
  }

  function read() {
    const next = emptyFilters();
    for (const key of FILTER_LISTS) {
      next[key] = [...panel.querySelectorAll(`input[type=checkbox][name="${key}"]:checked`)].map((b) => b.value).sort();
    }
    // Keep chosen categories whose action list was narrowed away out of the query (they are not shown).
    const from = panel.querySelector('#filter-from');
    const to = panel.querySelector('#filter-to');
    next.from = from && /^\d{4}-\d{2}-\d{2}$/.test(from.value) ? from.value : '';
    next.to = to && /^\d{4}-\d{2}-\d{2}$/.test(to.value) ? to.value : '';
    return next;
  }

  panel.addEventListener('change', () => {
    filters = read();
    render();
    onChange(filters);
  });
  panel.addEventListener('submit', (e) => e.preventDefault());

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  toggle.addEventListener('click', () => setOpen(panel.hidden));

  render();
  return {
    toggle,
    node: panel,
    get: () => filters,
    set(next) { filters = { ...emptyFilters(), ...next }; render(); },
    render,
    setOpen,
  };
}
