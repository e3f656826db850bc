// Side panel (id="side-panel"): the summary of a clicked area (owners, counts by status and category,
// overdue list) or a clicked point's detail with its open problems. A right-hand panel on a desk,
// a bottom sheet on a phone (CSS). data-state = loading | ready | error, data-kind = area | point.
import { el } from './dom.js';
import { t } from './i18n.js';
import { api, isAbort } from './api.js';
import { describeError } from './forms.js';
import { statusPill, problemHref, STATUSES } from './loop.js';
import { formatDateTime } from './format.js';
import { formatMetric } from './layers/area-stats.js';

const LEVEL_KEYS = { district: 'level.district', street: 'level.street', community: 'level.community', grid: 'level.grid' };

function ownersBlock(owners) {
  if (!Array.isArray(owners) || owners.length === 0) return el('p', { className: 'cg-panel-note', text: t('panel.noOwners') });
  const ul = el('ul', { className: 'cg-panel-owners', attrs: { id: 'panel-owners' } });
  for (const o of owners) {
    const phone = o && o.phone ? String(o.phone) : '';
    const dial = phone.replace(/[^\d+]/g, '');
    ul.append(el('li', {}, [
      el('span', { className: 'cg-owner-name', text: (o && o.name) || t('popup.empty') }),
      phone ? el('a', { className: 'cg-owner-phone', text: phone, attrs: dial ? { href: `tel:${dial}` } : {} }) : null,
    ]));
  }
  return ul;
}

function kpi(key, value, text, tone) {
  return el('div', { className: 'cg-kpi', attrs: { 'data-kpi': key, 'data-value': value == null ? '' : value, 'data-tone': tone || '' } }, [
    el('span', { className: 'cg-kpi-value', text }),
    el('span', { className: 'cg-kpi-label', text: t(`panel.kpi.${key}`) }),
  ]);
}

function section(titleKey, ...children) {
  return el('section', { className: 'cg-panel-section' }, [el('h3', { className: 'cg-panel-h', text: t(titleKey) }), ...children]);
}

function rate(v) {
  return v == null ? t('dash.noValue') : formatMetric('closure', v);
}

function areaBody(s) {
  const n = (v) => Math.max(0, Number(v) || 0);
  const kpis = el('div', { className: 'cg-kpis', attrs: { id: 'panel-kpis' } }, [
    kpi('open', n(s.open), String(n(s.open)), n(s.open) > 0 ? 'warn' : 'ok'),
    kpi('overdue', n(s.overdue), String(n(s.overdue)), n(s.overdue) > 0 ? 'bad' : 'ok'),
    kpi('closed', n(s.closed), String(n(s.closed))),
    kpi('closureRate', s.closureRate, rate(s.closureRate)),
    kpi('onTimeClosureRate', s.onTimeClosureRate, rate(s.onTimeClosureRate)),
    kpi('scoreRate', s.scoreRate, rate(s.scoreRate)),
  ]);

  const byStatus = s.byStatus && typeof s.byStatus === 'object' ? s.byStatus : {};
  const statusList = el('ul', { className: 'cg-panel-counts', attrs: { id: 'panel-by-status' } });
  const codes = [...STATUSES.filter((c) => c in byStatus), ...Object.keys(byStatus).filter((c) => !STATUSES.includes(c))];
  for (const code of codes) {
    statusList.append(el('li', { attrs: { 'data-status': code, 'data-count': n(byStatus[code]) } }, [
      statusPill(code), el('span', { className: 'cg-count', text: n(byStatus[code]) }),
    ]));
  }
  if (!codes.length) statusList.append(el('li', { className: 'cg-panel-note', text: t('panel.none') }));

  const cats = Array.isArray(s.byCategory) ? [...s.byCategory].sort((a, b) => n(b.count) - n(a.count)) : [];
  const max = cats.reduce((m, c) => Math.max(m, n(c.count)), 0) || 1;
  const catList = el('ul', { className: 'cg-panel-bars', attrs: { id: 'panel-by-category' } });
  for (const c of cats.slice(0, 12)) {
    const bar = el('span', { className: 'cg-bar-fill' });
    bar.style.width = `${Math.round((n(c.count) / max) * 100)}%`;
    catList.append(el('li', { attrs: { 'data-category': c.code || '', 'data-count': n(c.count) } }, [
      el('span', { className: 'cg-bar-label', text: c.name || c.code || '' }),
      el('span', { className: 'cg-bar' }, [bar]),
      el('span', { className: 'cg-count', text: n(c.count) }),
    ]));
  }
  if (!cats.length) catList.append(el('li', { className: 'cg-panel-note', text: t('panel.none') }));

  const overdue = Array.isArray(s.overdueList) ? s.overdueList : [];
  const overdueList = el('ul', { className: 'cg-panel-overdue', attrs: { id: 'panel-overdue' } });
  for (const p of overdue) {
    overdueList.append(el('li', {}, [
      el('span', { className: 'light-dot', attrs: { 'data-light': 'RED', 'aria-hidden': 'true' } }),
      el('a', { text: p.categoryName || `#${p.id}`, attrs: { href: problemHref(p.id), 'data-problem-id': p.id } }),
      el('span', { className: 'cg-panel-sub', text: [p.pointName, p.deadlineAt ? formatDateTime(p.deadlineAt) : ''].filter(Boolean).join(' · ') }),
    ]));
  }
  if (!overdue.length) overdueList.append(el('li', { className: 'cg-panel-note', text: t('panel.noOverdue') }));

  return [
    kpis,
    section('panel.owners', ownersBlock(s.owners)),
    section('panel.byStatus', statusList),
    section('panel.byCategory', catList),
    section('panel.overdue', overdueList),
  ];
}

export function createSidePanel(host, { onClose } = {}) {
  const title = el('h2', { className: 'cg-panel-title', attrs: { id: 'side-panel-title' } });
  const kicker = el('div', { className: 'cg-panel-kicker' });
  const close = el('button', { className: 'cg-panel-close', text: '×', attrs: { type: 'button', id: 'side-panel-close' } });
  const body = el('div', { className: 'cg-panel-body', attrs: { id: 'side-panel-body' } });
  const panel = el('aside', {
    className: 'cg-side-panel', attrs: { id: 'side-panel', 'aria-labelledby': 'side-panel-title', 'data-state': 'closed', hidden: '' },
  }, [el('header', { className: 'cg-panel-head' }, [el('div', { className: 'cg-panel-heading' }, [kicker, title]), close]), body]);
  host.append(panel);

  let ctl = null;
  let current = null; // {kind, code|props, ...} to re-render after a language switch

  function labelClose() {
    close.setAttribute('aria-label', t('common.close'));
    close.title = t('common.close');
  }
  labelClose();

  function hide() {
    if (ctl) ctl.abort();
    current = null;
    panel.hidden = true;
    panel.dataset.state = 'closed';
    delete panel.dataset.kind;
    delete panel.dataset.code;
    if (onClose) onClose();
  }
  close.addEventListener('click', hide);

  function begin(kind, kickerText, name) {
    if (ctl) ctl.abort();
    ctl = new AbortController();
    panel.hidden = false;
    panel.dataset.kind = kind;
    panel.dataset.state = 'loading';
    kicker.textContent = kickerText;
    title.textContent = name || '';
    body.replaceChildren(el('p', { className: 'cg-panel-note', text: t('status.loading') }));
    return ctl.signal;
  }

  async function showArea(code, { name, level, filters } = {}) {
    current = { kind: 'area', code, name, level, filters };
    panel.dataset.code = code;
    const signal = begin('area', t(LEVEL_KEYS[level] || 'level.area'), name || code);
    try {
      const s = await api.areaSummary(code, signal, filters);
      if (signal.aborted) return;
      kicker.textContent = `${t(LEVEL_KEYS[s.level] || LEVEL_KEYS[level] || 'level.area')} · ${s.code || code}`;
      title.textContent = s.name || name || code;
      body.replaceChildren(...areaBody(s));
      panel.dataset.state = 'ready';
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(el('p', { className: 'cg-panel-note cg-panel-error', text: describeError(err) }));
      panel.dataset.state = 'error';
    }
  }

  /** renderPoint(props, type) builds the card (points.js pointPopup); it loads its own open problems. */
  function showPoint(props, type, renderPoint) {
    current = { kind: 'point', props, type, renderPoint };
    panel.dataset.code = String(props.id || '');
    begin('point', t('panel.point'), props.name);
    const card = renderPoint(props, type);
    body.replaceChildren(card);
    const box = card.querySelector('.cg-card-problems');
    const settle = () => { panel.dataset.state = box && box.dataset.state === 'loading' ? 'loading' : 'ready'; };
    settle();
    if (box && box.dataset.state === 'loading') {
      new MutationObserver((_, obs) => { settle(); if (panel.dataset.state !== 'loading') obs.disconnect(); })
        .observe(box, { attributes: true, attributeFilter: ['data-state'] });
    }
  }

  return {
    node: panel,
    showArea,
    showPoint,
    hide,
    isOpen: () => !panel.hidden,
    current: () => current,
    /** After a language switch or a filter change: load the same thing again. */
    refresh(filters) {
      labelClose();
      if (!current) return;
      if (current.kind === 'area') showArea(current.code, { ...current, filters: filters || current.filters });
      else showPoint(current.props, current.type, current.renderPoint);
    },
  };
}
