// 领导看板 (leader dashboard): 一周一考评、一周一排名、一周一通报, 挂图作战 — for ADMIN and LEADER, scoped by
// the server. Campaign strip with countdown; area, period and category/action filters (all in the URL);
// the heatmap with playback and hotspots (leader-map.js); indicator cards with their formulas; the weekly
// trend and the breakdown charts (leader-charts.js; clicking filters the page); the weekly ranking with
// red/black lists; the clearance tracker (问题清零); bulletin links; for admins the score weights and the
// external evaluation import. Every section loads on its own and shows its own error when its call fails.
import { initI18n, applyStatic, t, getLang, onLangChange, bindLangToggle } from './i18n.js';
import { api, isAbort } from './api.js';
import { el, clear } from './dom.js';
import { initAppBar, showDistrict } from './appbar.js';
import { hasRole } from './roles.js';
import { localName } from './loop.js';
import { describeError, setMessage, showProblem, clearFieldErrors, busy } from './forms.js';
import { leaderApi, bulletinHref, importEvaluations } from './leader-api.js';
import { createLeaderMap } from './leader-map.js';
import { createTrendChart, createBreakdownChart } from './leader-charts.js';
import {
  parseLeaderView, serializeLeaderView, periodOf, addDays, currentMonday, mondayOf, levelOfCode,
  HEAT_STATUSES, RANK_LEVELS, BREAKDOWN_BY,
} from './leader-state.js';

const $ = (id) => document.getElementById(id);
const page = $('leader-page');
const view = parseLeaderView(location.search);

const INDICATORS = ['reported', 'accepted', 'closed', 'closureRate', 'onTimeClosureRate', 'handlingRate', 'reworkRate', 'overdue',
  'medianHoursToClose', 'inspectionScoreRate'];
const WEIGHT_KEYS = ['closureRate', 'onTimeClosureRate', 'reworkRate', 'inspectionScoreRate', 'externalScore'];
const CHILD_LEVEL = { district: 'street', street: 'community', community: 'grid', grid: 'grid' };

const app = {
  config: null,
  user: null,
  areas: [],
  byCode: new Map(),
  categories: [],
  actions: [],
  map: null,
  trend: null,
  breakdown: null,
  data: {}, // last answers, re-rendered after a language switch
  ctl: {},
};

// ---- small helpers ----

const nf = () => new Intl.NumberFormat(getLang());
const isNum = (v) => v != null && v !== '' && Number.isFinite(Number(v));

/** Value by unit: ratios as %, hours with one decimal, counts as integers; null → "—". */
export function formatValue(value, unit) {
  if (!isNum(value)) return t('common.none');
  const n = Number(value);
  if (unit === 'ratio') return `${(n * 100).toFixed(1)}%`;
  if (unit === 'hours') return t('leader.unit.hours', { n: n.toFixed(1) });
  return nf().format(Math.round(n));
}

const rate = (v) => formatValue(v, 'ratio');

function sectionError(node, what, err) {
  if (!node) return;
  if (!err) {
    node.hidden = true;
    node.textContent = '';
    return;
  }
  node.textContent = t('leader.error.section', { what, detail: describeError(err) });
  node.hidden = false;
}

/** Runs one section's load with its own abort controller; errors go to that section. */
async function section(name, task) {
  if (app.ctl[name]) app.ctl[name].abort();
  const ctl = new AbortController();
  app.ctl[name] = ctl;
  try {
    await task(ctl.signal);
  } catch (err) {
    if (isAbort(err) || ctl.signal.aborted) return;
    console.error(name, err);
    throw err;
  }
}

function areaName(code) {
  const a = app.byCode.get(code);
  return (a && a.name) || code;
}

function period() {
  return periodOf(view);
}

function filterArgs() {
  return { category: view.category, action: view.action };
}

// ---- URL ----

function writeUrl() {
  view.lang = getLang();
  const q = serializeLeaderView(view);
  history.replaceState(history.state, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
  page.dataset.view = q;
}

// ---- campaign strip ----

function renderCampaign() {
  const c = app.data.campaign;
  const box = $('campaign');
  if (!c) return;
  $('campaign-name').textContent = c.name || t('leader.campaign.title');
  const phases = Array.isArray(c.phases) ? c.phases : [];
  const current = phases.find((p) => p.current);
  const phaseName = (p) => (getLang() === 'en' ? p.nameEn || p.nameZh : p.nameZh || p.nameEn) || p.code || '';
  $('campaign-phase').textContent = current ? t('leader.campaign.phase', { name: phaseName(current) }) : '';
  const days = Number(c.daysLeft);
  $('campaign-countdown').textContent = isNum(c.daysLeft)
    ? (days >= 0 ? t('leader.campaign.countdown', { n: days, date: c.evaluationDate || '' }) : t('leader.campaign.past', { date: c.evaluationDate || '' }))
    : '';
  $('campaign-countdown').dataset.days = isNum(c.daysLeft) ? String(days) : '';
  $('campaign-phases').replaceChildren(...phases.map((p) => el('li', {
    className: 'ld-phase-step', attrs: { 'data-phase': p.code || '', 'aria-current': p.current ? 'step' : null },
  }, [
    el('span', { className: 'ld-phase-name', text: phaseName(p) }),
    el('span', { className: 'ld-phase-dates', text: `${p.startsOn || '?'} – ${p.endsOn || '?'}` }),
  ])));
  box.dataset.state = 'ready';
}

function loadCampaign() {
  return section('campaign', async (signal) => {
    try {
      app.data.campaign = await leaderApi.campaign(signal);
      sectionError($('campaign-error'), '', null);
      renderCampaign();
    } catch (err) {
      if (isAbort(err)) throw err;
      $('campaign').dataset.state = 'error';
      sectionError($('campaign-error'), t('leader.campaign.title'), err);
    }
  }).catch(() => {});
}

// ---- area picker ----

function renderAreaPicker() {
  const nav = $('area-crumbs');
  const list = el('ol', { className: 'cg-crumbs' });
  const chain = [];
  for (let len = 6; len <= view.area.length; len += 3) {
    const code = view.area.slice(0, len);
    if (app.byCode.has(code)) chain.push(code);
  }
  chain.forEach((code, i) => {
    const last = i === chain.length - 1;
    const item = el('li', { attrs: { 'data-code': code } });
    if (last) {
      item.append(el('span', { text: areaName(code), attrs: { 'aria-current': 'location' } }));
    } else {
      const b = el('button', { className: 'cg-crumb', text: areaName(code), attrs: { type: 'button' } });
      b.addEventListener('click', () => setArea(code));
      item.append(b);
    }
    list.append(item);
  });
  nav.replaceChildren(list);
  nav.dataset.area = view.area;

  const select = $('area-select');
  const children = app.areas.filter((a) => a.parentCode === view.area);
  select.replaceChildren(
    el('option', { text: children.length ? t('leader.area.choose') : t('leader.area.noChildren'), attrs: { value: '' } }),
    ...children.map((a) => el('option', { text: a.name || a.code, attrs: { value: a.code } })),
  );
  select.value = '';
  select.disabled = children.length === 0;
}

function setArea(code) {
  if (!app.byCode.has(code) || code === view.area) return;
  view.area = code;
  view.center = null;
  view.zoom = null;
  renderAreaPicker();
  app.map.setView(null, null, code);
  refreshAll();
}

// ---- period ----

function renderPeriod() {
  const p = period();
  $('week-label').textContent = p.custom ? t('leader.period.range', { from: p.from, to: p.to }) : t('leader.period.week', { from: p.from, to: p.to });
  $('week-label').dataset.week = p.week;
  $('week-next').disabled = !p.custom && p.week >= currentMonday();
  $('range-from').value = view.from || '';
  $('range-to').value = view.to || '';
}

function setWeek(monday) {
  view.week = mondayOf(monday);
  view.from = '';
  view.to = '';
  refreshAll();
}

// ---- filters ----

function renderFilters() {
  const action = $('filter-action');
  action.replaceChildren(el('option', { text: t('leader.filter.all'), attrs: { value: '' } }),
    ...app.actions.map((a) => el('option', { text: localName(a), attrs: { value: a.code } })));
  action.value = view.action;
  const category = $('filter-category');
  const cats = app.categories.filter((c) => !view.action || c.actionCode === view.action);
  category.replaceChildren(el('option', { text: t('leader.filter.all'), attrs: { value: '' } }),
    ...cats.map((c) => el('option', { text: localName(c), attrs: { value: c.code } })));
  category.value = view.category;
  const status = $('filter-status');
  status.replaceChildren(...HEAT_STATUSES.map((s) => el('option', { text: t(`leader.status.${s}`), attrs: { value: s } })));
  status.value = view.status;
  const by = $('breakdown-by');
  by.replaceChildren(...BREAKDOWN_BY.map((b) => el('option', { text: t(`leader.by.${b}`), attrs: { value: b } })));
  by.value = view.by;
  $('filter-clear').disabled = !view.action && !view.category && view.status === 'all';
}

/** A category picked in the chart or the select; its action filter is dropped when it does not fit. */
function setCategory(code) {
  view.category = view.category === code ? '' : code;
  const cat = app.categories.find((c) => c.code === view.category);
  if (cat && view.action && cat.actionCode !== view.action) view.action = '';
  refreshAll();
}

function setAction(code) {
  view.action = view.action === code ? '' : code;
  const cat = app.categories.find((c) => c.code === view.category);
  if (cat && view.action && cat.actionCode !== view.action) view.category = '';
  refreshAll();
}

// ---- indicators ----

function renderIndicators() {
  const host = $('indicators');
  const answer = app.data.indicators;
  if (!answer) return;
  const list = Array.isArray(answer.indicators) ? answer.indicators : [];
  const byKey = new Map(list.map((i) => [i.key, i]));
  const keys = [...INDICATORS.filter((k) => byKey.has(k)), ...list.map((i) => i.key).filter((k) => !INDICATORS.includes(k))];
  host.replaceChildren(...keys.map((key) => {
    const ind = byKey.get(key);
    const formula = getLang() === 'en' ? ind.formulaEn || ind.formulaZh : ind.formulaZh || ind.formulaEn;
    const parts = ind.unit === 'ratio' && isNum(ind.numerator) && isNum(ind.denominator)
      ? t('leader.ind.parts', { n: nf().format(Number(ind.numerator)), d: nf().format(Number(ind.denominator)) }) : '';
    const label = t(`leader.ind.${key}`);
    return el('article', {
      className: 'ld-card',
      attrs: { 'data-key': key, 'data-unit': ind.unit || '', 'data-value': isNum(ind.value) ? String(ind.value) : '' },
    }, [
      el('h3', { className: 'ld-card-label', text: label === `leader.ind.${key}` ? key : label }),
      el('p', { className: 'ld-card-value', text: formatValue(ind.value, ind.unit) }),
      parts ? el('p', { className: 'ld-card-parts', text: parts }) : null,
      el('p', { className: 'ld-card-formula', text: formula || '' }),
    ]);
  }));
  if (!keys.length) host.append(el('p', { className: 'muted', text: t('leader.none') }));
  const a = answer.area || {};
  $('indicators-caption').textContent = t('leader.ind.caption', { area: a.name || areaName(view.area), from: answer.from || '', to: answer.to || '' });
  host.dataset.state = 'ready';
}

function loadIndicators() {
  const p = period();
  return section('indicators', async (signal) => {
    const host = $('indicators');
    host.dataset.state = 'loading';
    try {
      app.data.indicators = await leaderApi.indicators(view.area, p.from, p.to, filterArgs(), signal);
      sectionError($('indicators-error'), '', null);
      renderIndicators();
    } catch (err) {
      if (isAbort(err)) throw err;
      app.data.indicators = null;
      clear(host);
      host.dataset.state = 'error';
      sectionError($('indicators-error'), t('leader.ind.title'), err);
    }
  }).catch(() => {});
}

// ---- charts ----

function renderTrend() {
  if (!app.trend || !app.data.trend) return;
  app.trend.set(app.data.trend.weeks, period().custom ? '' : period().week);
  $('trend-chart').dataset.state = 'ready';
  $('trend-chart').dataset.weeks = String((app.data.trend.weeks || []).length);
}

function loadTrend() {
  const p = period();
  return section('trend', async (signal) => {
    $('trend-chart').dataset.state = 'loading';
    try {
      app.data.trend = await leaderApi.trend(view.area, 12, p.to, filterArgs(), signal);
      sectionError($('trend-error'), '', null);
      renderTrend();
    } catch (err) {
      if (isAbort(err)) throw err;
      app.data.trend = null;
      if (app.trend) app.trend.set([], '');
      $('trend-chart').dataset.state = 'error';
      sectionError($('trend-error'), t('leader.chart.trend'), err);
    }
  }).catch(() => {});
}

function renderBreakdown() {
  if (!app.breakdown || !app.data.breakdown) return;
  const rows = Array.isArray(app.data.breakdown.rows) ? app.data.breakdown.rows : [];
  app.breakdown.set(rows, view.by === 'action' ? view.action : view.category);
  const node = $('breakdown-chart');
  node.dataset.state = 'ready';
  node.dataset.by = view.by;
  node.dataset.rows = String(rows.length);
}

function loadBreakdown() {
  const p = period();
  return section('breakdown', async (signal) => {
    $('breakdown-chart').dataset.state = 'loading';
    try {
      app.data.breakdown = await leaderApi.breakdown(view.area, p.from, p.to, view.by, filterArgs(), signal);
      sectionError($('breakdown-error'), '', null);
      renderBreakdown();
    } catch (err) {
      if (isAbort(err)) throw err;
      app.data.breakdown = null;
      if (app.breakdown) app.breakdown.set([], '');
      $('breakdown-chart').dataset.state = 'error';
      sectionError($('breakdown-error'), t('leader.chart.breakdown'), err);
    }
  }).catch(() => {});
}

// ---- ranking ----

function renderRankingTabs() {
  $('ranking-tabs').replaceChildren(...RANK_LEVELS.map((level) => {
    const tab = el('button', {
      className: 'tab', text: t(`leader.rank.level.${level}`),
      attrs: { type: 'button', role: 'tab', id: `rank-tab-${level}`, 'data-level': level, 'aria-selected': level === view.rank ? 'true' : 'false', 'aria-controls': 'ranking-table' },
    });
    tab.addEventListener('click', () => {
      if (view.rank === level) return;
      view.rank = level;
      renderRankingTabs();
      loadRanking();
      writeUrl();
    });
    return tab;
  }));
}

/** Scores on a 0–1 scale are shown ×100; components ≤ 1 as %. */
const scoreText = (v, scale) => (isNum(v) ? (Number(v) * scale).toFixed(1) : t('common.none'));
const componentText = (v) => (isNum(v) ? (Math.abs(Number(v)) <= 1 ? rate(v) : Number(v).toFixed(1)) : t('common.none'));

function changeNode(row) {
  let change = isNum(row.change) ? Number(row.change) : null;
  if (change == null && isNum(row.previousRank) && isNum(row.rank)) change = Number(row.previousRank) - Number(row.rank);
  if (!isNum(row.previousRank) && change == null) return el('span', { className: 'ld-change ld-change-new', text: t('leader.rank.new') });
  if (!change) return el('span', { className: 'ld-change', text: '–', attrs: { 'aria-label': t('leader.rank.same') } });
  const up = change > 0;
  return el('span', {
    className: `ld-change ${up ? 'ld-up' : 'ld-down'}`,
    text: `${up ? '▲' : '▼'}${Math.abs(change)}`,
    attrs: { title: t(up ? 'leader.rank.up' : 'leader.rank.down', { n: Math.abs(change) }), 'data-change': change },
  });
}

function listBadge(list) {
  if (list !== 'RED' && list !== 'BLACK') return null;
  return el('span', { className: `ld-badge ld-badge-${list.toLowerCase()}`, text: t(`leader.rank.${list === 'RED' ? 'red' : 'black'}`), attrs: { 'data-list': list } });
}

function renderRanking() {
  const r = app.data.ranking;
  const body = $('ranking-body');
  const head = $('ranking-head');
  const comps = WEIGHT_KEYS;
  head.replaceChildren(el('tr', {}, [
    el('th', { text: t('leader.col.rank'), attrs: { scope: 'col' } }),
    el('th', { text: t('leader.col.change'), attrs: { scope: 'col' } }),
    el('th', { text: t('leader.col.name'), attrs: { scope: 'col' } }),
    el('th', { className: 'num', text: t('leader.col.score'), attrs: { scope: 'col' } }),
    ...comps.map((k) => el('th', { className: 'num', text: t(`leader.weights.${k}`), attrs: { scope: 'col' } })),
    el('th', { className: 'num', text: t('leader.col.problems'), attrs: { scope: 'col' } }),
    el('th', { text: t('leader.col.list'), attrs: { scope: 'col' } }),
  ]));
  if (!r) return;
  const rows = Array.isArray(r.rows) ? r.rows : [];
  const scale = rows.every((x) => !isNum(x.score) || Math.abs(Number(x.score)) <= 1) ? 100 : 1;
  body.replaceChildren(...rows.map((row) => el('tr', { attrs: { 'data-code': row.code || '', 'data-list': row.list || null } }, [
    el('td', { className: 'num', text: isNum(row.rank) ? row.rank : t('common.none') }),
    el('td', {}, [changeNode(row)]),
    el('td', { text: row.name || row.code || '' }),
    el('td', { className: 'num ld-score', text: scoreText(row.score, scale) }),
    ...comps.map((k) => el('td', { className: 'num', text: componentText(row.components && row.components[k]) })),
    el('td', { className: 'num', text: isNum(row.problems) ? nf().format(Number(row.problems)) : t('common.none') }),
    el('td', {}, [listBadge(row.list)]),
  ])));
  if (!rows.length) body.append(el('tr', {}, [el('td', { className: 'muted', text: t('leader.none'), attrs: { colspan: 6 + comps.length } })]));
  const fill = (id, list) => {
    const items = rows.filter((x) => x.list === list);
    $(id).replaceChildren(...(items.length
      ? items.map((x) => el('li', {}, [el('span', { text: x.name || x.code || '' }), ' ', el('span', { className: 'ld-count', text: scoreText(x.score, scale) })]))
      : [el('li', { className: 'muted', text: t('leader.none') })]));
  };
  fill('red-list-items', 'RED');
  fill('black-list-items', 'BLACK');
  $('ranking-caption').textContent = t('leader.rank.caption', { week: r.week || period().week, n: isNum(r.peerCount) ? r.peerCount : rows.length });
  $('ranking-table').dataset.state = 'ready';
  $('ranking-table').dataset.level = r.level || view.rank;
}

function loadRanking() {
  const within = view.rank === 'department' ? null : view.area;
  return section('ranking', async (signal) => {
    $('ranking-table').dataset.state = 'loading';
    try {
      app.data.ranking = await leaderApi.rankings(view.rank, period().week, within, signal);
      sectionError($('ranking-error'), '', null);
      renderRanking();
    } catch (err) {
      if (isAbort(err)) throw err;
      app.data.ranking = null;
      clear($('ranking-body'));
      $('red-list-items').replaceChildren();
      $('black-list-items').replaceChildren();
      $('ranking-table').dataset.state = 'error';
      sectionError($('ranking-error'), t('leader.rank.title'), err);
    }
  }).catch(() => {});
}

// ---- clearance (问题清零) ----

function clearanceRow(row, isTotal) {
  const share = isNum(row.clearedShare) ? Math.max(0, Math.min(1, Number(row.clearedShare))) : null;
  const bar = el('span', { className: 'ld-progress-fill' });
  bar.style.width = `${share == null ? 0 : Math.round(share * 100)}%`;
  const cells = [
    el(isTotal ? 'th' : 'td', { text: isTotal ? t('leader.clear.total') : row.name || row.code || '', attrs: isTotal ? { scope: 'row' } : {} }),
    el('td', { className: 'num', text: isNum(row.open) ? nf().format(Number(row.open)) : t('common.none') }),
    el('td', { className: `num ${Number(row.overdue) > 0 ? 'ld-bad' : ''}`, text: isNum(row.overdue) ? nf().format(Number(row.overdue)) : t('common.none') }),
    el('td', { className: `num ${Number(row.deadlineAfterEvaluation) > 0 ? 'ld-bad' : ''}`, text: isNum(row.deadlineAfterEvaluation) ? nf().format(Number(row.deadlineAfterEvaluation)) : t('common.none') }),
    el('td', {}, [el('span', { className: 'ld-progress', attrs: { 'aria-hidden': 'true' } }, [bar]), el('span', { className: 'ld-progress-text', text: rate(share) })]),
  ];
  return el('tr', { attrs: { 'data-code': row.code || null } }, cells);
}

function renderClearance() {
  const c = app.data.clearance;
  if (!c) return;
  const rows = Array.isArray(c.rows) ? c.rows : [];
  $('clearance-body').replaceChildren(...rows.map((r) => clearanceRow(r, false)));
  if (!rows.length) $('clearance-body').append(el('tr', {}, [el('td', { className: 'muted', text: t('leader.none'), attrs: { colspan: 5 } })]));
  $('clearance-foot').replaceChildren(...(c.total ? [clearanceRow(c.total, true)] : []));
  $('clearance-caption').textContent = c.evaluationDate
    ? t('leader.clear.caption', { date: c.evaluationDate, n: isNum(c.daysLeft) ? c.daysLeft : '?' }) : '';
  $('clearance-table').dataset.state = 'ready';
}

function loadClearance() {
  const level = CHILD_LEVEL[levelOfCode(view.area)] || 'street';
  return section('clearance', async (signal) => {
    $('clearance-table').dataset.state = 'loading';
    try {
      app.data.clearance = await leaderApi.clearance(level, view.area, signal);
      sectionError($('clearance-error'), '', null);
      renderClearance();
    } catch (err) {
      if (isAbort(err)) throw err;
      app.data.clearance = null;
      clear($('clearance-body'));
      clear($('clearance-foot'));
      $('clearance-table').dataset.state = 'error';
      sectionError($('clearance-error'), t('leader.clear.title'), err);
    }
  }).catch(() => {});
}

// ---- bulletin links ----

function renderBulletin() {
  const p = period();
  $('bulletin-caption').textContent = t('leader.bulletin.caption', { area: areaName(view.area), week: p.week });
  $('bulletin-links').replaceChildren(...[['html', 'leader.bulletin.html'], ['pdf', 'leader.bulletin.pdf'], ['xlsx', 'leader.bulletin.xlsx']]
    .map(([format, key]) => el('li', {}, [el('a', {
      className: 'btn btn-small',
      text: t(key),
      attrs: {
        id: `bulletin-${format}`, href: bulletinHref(p.week, view.area, format), 'data-format': format,
        target: format === 'html' ? '_blank' : null, rel: format === 'html' ? 'noopener' : null, download: format === 'html' ? null : '',
      },
    })])));
}

// ---- admin: weights and import ----

function renderWeights() {
  const w = app.data.weights || {};
  const host = $('weights-fields');
  host.replaceChildren(...WEIGHT_KEYS.map((k) => el('div', { className: 'field ld-weight', attrs: { 'data-field': k } }, [
    el('label', { text: t(`leader.weights.${k}`), attrs: { for: `weight-${k}` } }),
    el('input', { attrs: { type: 'number', id: `weight-${k}`, name: k, min: 0, max: 1, step: 0.05, value: isNum(w[k]) ? String(w[k]) : '0', inputmode: 'decimal' } }),
    el('p', { className: 'field-error', attrs: { hidden: '' } }),
  ])));
  updateWeightSum();
}

function readWeights() {
  const out = {};
  for (const k of WEIGHT_KEYS) out[k] = Number($(`weight-${k}`).value) || 0;
  return out;
}

function updateWeightSum() {
  const sum = Object.values(readWeights()).reduce((a, b) => a + b, 0);
  const ok = Math.abs(sum - 1) < 0.0005;
  const node = $('weights-sum');
  node.textContent = t(ok ? 'leader.weights.sum' : 'leader.weights.sumBad', { sum: sum.toFixed(2) });
  node.dataset.ok = String(ok);
  $('weights-save').disabled = !ok;
}

async function loadWeights() {
  try {
    app.data.weights = await leaderApi.weights();
    setMessage($('weights-message'), '');
  } catch (err) {
    app.data.weights = null;
    setMessage($('weights-message'), t('leader.error.section', { what: t('leader.weights.title'), detail: describeError(err) }), 'error');
  }
  renderWeights();
}

function bindAdmin() {
  const form = $('weights-form');
  form.addEventListener('input', updateWeightSum);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    busy(form, async () => {
      try {
        app.data.weights = await leaderApi.saveWeights(readWeights()) || readWeights();
        setMessage($('weights-message'), t('leader.weights.saved'), 'success');
        renderWeights();
        loadRanking();
      } catch (err) {
        showProblem(form, $('weights-message'), err);
      }
    }).finally(updateWeightSum);
  });

  const imp = $('import-form');
  imp.addEventListener('submit', (e) => {
    e.preventDefault();
    const file = $('import-file').files[0];
    const errorsBody = $('import-errors-body');
    $('import-errors-wrap').hidden = true;
    clear(errorsBody);
    if (!file) {
      setMessage($('import-message'), t('leader.import.noFile'), 'error');
      return;
    }
    busy(imp, async () => {
      try {
        const r = await importEvaluations(file);
        setMessage($('import-message'), t('leader.import.done', { n: isNum(r.imported) ? r.imported : '?', batch: r.batchId == null ? '?' : r.batchId }), 'success');
        imp.reset();
        loadRanking();
      } catch (err) {
        setMessage($('import-message'), describeError(err), 'error');
        const rows = Array.isArray(err.rows) ? err.rows : [];
        errorsBody.replaceChildren(...rows.map((x) => el('tr', {}, [
          el('td', { className: 'num', text: x.row || t('common.none') }),
          el('td', { text: x.column || t('common.none') }),
          el('td', { text: x.message || '' }),
        ])));
        $('import-errors-wrap').hidden = rows.length === 0;
      }
    });
  });
}

// ---- everything that depends on area, period or filters ----

function refreshAll() {
  renderPeriod();
  renderFilters();
  renderBulletin();
  writeUrl();
  app.map.reload();
  loadIndicators();
  loadTrend();
  loadBreakdown();
  loadRanking();
  loadClearance();
}

function bindControls() {
  $('area-select').addEventListener('change', (e) => { if (e.target.value) setArea(e.target.value); });
  $('week-prev').addEventListener('click', () => setWeek(addDays(period().week, -7)));
  $('week-next').addEventListener('click', () => setWeek(addDays(period().week, 7)));
  $('week-current').addEventListener('click', () => setWeek(currentMonday()));
  $('range-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const from = $('range-from').value;
    const to = $('range-to').value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || from > to) {
      setMessage($('page-message'), t('leader.period.invalid'), 'error');
      return;
    }
    setMessage($('page-message'), '');
    view.from = from;
    view.to = to;
    view.week = '';
    refreshAll();
  });
  $('filter-action').addEventListener('change', (e) => { view.action = ''; setAction(e.target.value); });
  $('filter-category').addEventListener('change', (e) => { view.category = ''; setCategory(e.target.value); });
  $('filter-status').addEventListener('change', (e) => {
    view.status = HEAT_STATUSES.includes(e.target.value) ? e.target.value : 'all';
    renderFilters();
    writeUrl();
    app.map.reload();
  });
  $('filter-clear').addEventListener('click', () => {
    view.action = '';
    view.category = '';
    view.status = 'all';
    refreshAll();
  });
  $('breakdown-by').addEventListener('change', (e) => {
    view.by = BREAKDOWN_BY.includes(e.target.value) ? e.target.value : 'category';
    writeUrl();
    loadBreakdown();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (app.trend) app.trend.resize();
      if (app.breakdown) app.breakdown.resize();
      app.map.invalidate();
    }, 150);
  });
}

function onLanguageChanged() {
  applyStatic();
  if (app.user) initAppBar(app.user);
  renderPeriod();
  renderFilters();
  renderAreaPicker();
  renderBulletin();
  renderCampaign();
  renderIndicators();
  renderTrend();
  renderBreakdown();
  renderRankingTabs();
  renderRanking();
  renderClearance();
  if (!$('admin-panel').hidden) renderWeights();
  app.map.relabel();
  writeUrl();
}

function charts() {
  const wrap = (create, id, opts) => {
    try {
      return create($(id), opts);
    } catch (err) {
      console.error(err);
      $(id).dataset.state = 'error';
      sectionError($(id === 'trend-chart' ? 'trend-error' : 'breakdown-error'), t('leader.chart.title'), err);
      return null;
    }
  };
  app.trend = wrap(createTrendChart, 'trend-chart', { t, onWeek: (w) => setWeek(w) });
  app.breakdown = wrap(createBreakdownChart, 'breakdown-chart', {
    t,
    onPick: (code) => (view.by === 'action' ? setAction(code) : setCategory(code)),
  });
  // For tests and the console: the ECharts instances and the rows behind the breakdown's bars.
  window.civicgridCharts = {
    trend: app.trend && app.trend.chart,
    breakdown: app.breakdown && app.breakdown.chart,
    breakdownRows: () => (app.breakdown ? app.breakdown.rows().map((r) => ({ ...r })) : []),
  };
}

async function main() {
  await initI18n();
  applyStatic();
  onLangChange(onLanguageChanged);
  bindLangToggle((err) => setMessage($('page-message'), describeError(err), 'error'));

  const [config, areas, categories] = await Promise.all([
    api.mapConfig(), api.areaDirectory().catch(() => []), api.categories().catch(() => []),
  ]);
  app.config = config;
  app.user = config && config.user;
  if (app.user) initAppBar(app.user);
  showDistrict(config);
  if (!(hasRole(app.user, 'ADMIN') || hasRole(app.user, 'LEADER'))) {
    setMessage($('page-message'), t('leader.forbidden'), 'error');
    page.dataset.state = 'forbidden';
    return;
  }
  app.areas = (Array.isArray(areas) ? areas : []).map((a) => ({ ...a, level: String(a.level || '').toLowerCase() }));
  app.byCode = new Map(app.areas.map((a) => [a.code, a]));
  app.categories = Array.isArray(categories) ? categories : [];
  const seen = new Set();
  for (const c of app.categories) {
    if (c.actionCode && !seen.has(c.actionCode)) {
      seen.add(c.actionCode);
      app.actions.push({ code: c.actionCode, nameZh: c.actionNameZh, nameEn: c.actionNameEn });
    }
  }
  // The area: the URL's when the caller may see it, else the district, else the caller's topmost area.
  if (!app.byCode.has(view.area)) {
    const district = config.district && config.district.code;
    const top = [...app.areas].sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code))[0];
    view.area = app.byCode.has(district) ? district : (top ? top.code : (district || ''));
  }
  if (view.category && !app.categories.some((c) => c.code === view.category)) view.category = '';
  if (view.action && !app.actions.some((a) => a.code === view.action)) view.action = '';

  app.map = createLeaderMap($('leader-map'), {
    config,
    getContext: () => ({ ...period(), category: view.category, action: view.action, status: view.status }),
    onViewChange: (center, zoom) => {
      view.center = center;
      view.zoom = zoom;
      writeUrl();
    },
    hotspotList: $('hotspots'),
    legendHost: $('heat-legend'),
    playbackHost: $('playback'),
    errorNode: $('map-error'),
  });
  charts();
  bindControls();
  if (hasRole(app.user, 'ADMIN')) {
    $('admin-panel').hidden = false;
    bindAdmin();
    loadWeights();
  }
  renderAreaPicker();
  renderRankingTabs();
  renderRanking();
  await app.map.loadOutlines();
  app.map.setView(view.center, view.zoom, view.area);
  loadCampaign();
  refreshAll();
  page.dataset.state = 'ready';
}

main().catch((err) => {
  console.error(err);
  page.dataset.state = 'error';
  setMessage($('page-message'), describeError(err), 'error');
});
