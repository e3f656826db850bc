// 点位督查: pick a point (search, nearby, or ?pointId= from the map), start an inspection, answer
// every checklist item (符合/不符合/不适用, a photo for each 不符合), save as you go, submit; then the
// score rate and the problems the failures opened. Below: points not inspected for N days.
import { t } from './i18n.js';
import { api } from './api.js';
import { el, clear } from './dom.js';
import { hasRole } from './roles.js';
import { formatDateTime } from './format.js';
import { describeError, setMessage, clearMessage } from './forms.js';
import { bootPage, pageFailed } from './page.js';
import { createPhotoPicker } from './photos.js';
import {
  statusPill, lightDot, deadlineNode, localName, queryId, problemHref, currentPosition,
} from './loop.js';

const OUTCOMES = ['PASS', 'FAIL', 'NA'];
const page = document.getElementById('inspect-page');
const pickCard = document.getElementById('pick-card');
const pointCard = document.getElementById('point-card');
const section = document.getElementById('inspection-section');
const resultCard = document.getElementById('inspection-result');
const inspectionMessage = document.getElementById('inspection-message');

const state = {
  user: null,
  typesByCode: new Map(),
  results: [],
  point: null,
  inspection: null,
  items: new Map(), // code → {outcome, note, picker, node}
  busy: false,
};

const typeName = (code) => {
  const type = state.typesByCode.get(code);
  return type ? localName(type) : code || '';
};

function show(which) {
  pickCard.hidden = which !== 'pick';
  pointCard.hidden = which !== 'point';
  section.hidden = which !== 'inspection' && which !== 'result';
  resultCard.hidden = which !== 'result';
}

// ---- choosing a point ----

function distanceText(m) {
  if (m == null) return '';
  return m < 1000 ? t('inspect.metres', { n: Math.round(m) }) : t('inspect.km', { n: (m / 1000).toFixed(1) });
}

function renderResults(list, emptyKey) {
  const ul = document.getElementById('point-results');
  clear(ul);
  state.results = list;
  for (const p of list) {
    const choose = el('a', {
      className: 'btn btn-small',
      text: t('inspect.choose'),
      attrs: { href: `inspect.html?pointId=${encodeURIComponent(p.id)}`, 'data-point-id': p.id },
    });
    choose.addEventListener('click', (e) => {
      e.preventDefault();
      history.pushState(null, '', `inspect.html?pointId=${encodeURIComponent(p.id)}`);
      openPoint(p.id).catch((err) => pageFailed(page, err));
    });
    ul.append(el('li', { className: 'choice', attrs: { 'data-point-id': p.id } }, [
      el('div', { className: 'choice-main' }, [
        el('strong', { className: 'choice-title', text: p.name }),
        el('span', { className: 'choice-sub', text: [typeName(p.typeCode), p.address].filter(Boolean).join(' · ') }),
      ]),
      el('div', { className: 'choice-side' }, [
        p.distanceMetres != null ? el('span', { className: 'choice-distance', text: distanceText(p.distanceMetres) }) : null,
        el('span', { className: 'cg-code', text: p.gridCode || '' }),
        choose,
      ]),
    ]));
  }
  const msg = document.getElementById('point-search-message');
  if (!list.length && emptyKey) setMessage(msg, t(emptyKey), 'info');
  else clearMessage(msg);
}

async function search(event) {
  event.preventDefault();
  const q = document.getElementById('point-q').value.trim();
  const msg = document.getElementById('point-search-message');
  if (!q) {
    setMessage(msg, t('inspect.typeSomething'), 'info');
    return;
  }
  try {
    renderResults(await api.searchPoints({ q, limit: 30 }), 'inspect.noMatch');
  } catch (err) {
    setMessage(msg, describeError(err), 'error');
  }
}

async function nearby() {
  const msg = document.getElementById('point-search-message');
  const button = document.getElementById('point-near');
  setMessage(msg, t('inspect.locating'), 'info');
  button.disabled = true;
  try {
    const pos = await currentPosition();
    if (!pos) {
      setMessage(msg, t('inspect.noPosition'), 'error');
      return;
    }
    renderResults(await api.searchPoints({ near: `${pos.lon.toFixed(6)},${pos.lat.toFixed(6)}`, limit: 20 }), 'inspect.noneNear');
  } catch (err) {
    setMessage(msg, describeError(err), 'error');
  } finally {
    button.disabled = false;
  }
}

function fact(dl, label, value) {
  const shown = value == null || value === '' ? t('common.none') : value;
  dl.append(el('div', { className: 'fact' }, [el('dt', { text: label }), el('dd', {}, [shown])]));
}

function renderPoint(p) {
  document.getElementById('point-type').textContent = p.typeName || typeName(p.typeCode);
  document.getElementById('point-name').textContent = p.name;
  const dl = document.getElementById('point-facts');
  clear(dl);
  fact(dl, t('popup.point.address'), p.address);
  fact(dl, t('popup.point.responsibleUnit'), p.responsibleUnit);
  fact(dl, t('popup.point.gridCode'), p.gridCode ? el('span', {}, [el('span', { className: 'cg-code', text: p.gridCode }), ` ${p.gridName || ''}`]) : '');
  fact(dl, t('inspect.lastInspected'), p.lastInspectedAt
    ? `${formatDateTime(p.lastInspectedAt)}${p.lastScoreRate != null ? ` · ${t('inspect.scoreShort', { rate: percent(p.lastScoreRate) })}` : ''}`
    : t('inspect.never'));
  const box = document.getElementById('point-problems');
  clear(box);
  const open = Array.isArray(p.openProblems) ? p.openProblems : [];
  if (open.length) {
    box.append(el('h4', { className: 'form-subheading', text: t('inspect.pointOpenProblems', { n: open.length }) }));
    const ul = el('ul', { className: 'choice-list compact' });
    for (const pr of open) {
      ul.append(el('li', { className: 'choice' }, [
        el('div', { className: 'choice-main' }, [
          el('a', { className: 'choice-title', text: pr.categoryName || `#${pr.id}`, attrs: { href: problemHref(pr.id) } }),
          el('span', { className: 'choice-sub', text: pr.description || '' }),
        ]),
        el('div', { className: 'choice-side' }, [lightDot(pr.light), statusPill(pr.status), deadlineNode(pr.deadlineAt, formatDateTime)]),
      ]));
    }
    box.append(ul);
  }
}

async function openPoint(id) {
  clearMessage(document.getElementById('start-message'));
  state.point = await api.point(id);
  renderPoint(state.point);
  show('point');
  document.getElementById('inspection-start').hidden = !hasRole(state.user, 'INSPECTOR');
  if (!hasRole(state.user, 'INSPECTOR')) setMessage(document.getElementById('start-message'), t('inspect.notInspector'), 'info');
  page.dataset.state = 'ready';
}

async function startInspection() {
  const button = document.getElementById('inspection-start');
  const msg = document.getElementById('start-message');
  button.disabled = true;
  setMessage(msg, t('inspect.starting'), 'info');
  try {
    const pos = await currentPosition(5000);
    const bodyJson = { pointId: state.point.id };
    if (pos) Object.assign(bodyJson, { lon: pos.lon, lat: pos.lat });
    const inspection = await api.startInspection(bodyJson);
    clearMessage(msg);
    history.replaceState(null, '', `inspect.html?inspectionId=${encodeURIComponent(inspection.id)}`);
    showInspection(inspection);
  } catch (err) {
    setMessage(msg, describeError(err), 'error');
  } finally {
    button.disabled = false;
  }
}

// ---- the checklist ----

const percent = (rate) => `${(Number(rate) * 100).toFixed(1).replace(/\.0$/, '')}%`;

function setOutcome(code, outcome) {
  const item = state.items.get(code);
  if (!item) return;
  item.outcome = outcome;
  item.node.dataset.outcome = outcome || '';
  for (const b of item.node.querySelectorAll('.outcome')) {
    b.setAttribute('aria-checked', b.dataset.outcome === outcome ? 'true' : 'false');
  }
  updateItemHint(item);
  updateProgress();
}

function updateItemHint(item) {
  const hint = item.node.querySelector('.item-warning');
  const needsPhoto = item.outcome === 'FAIL' && item.picker && item.picker.count() === 0;
  hint.hidden = !needsPhoto;
  item.node.classList.toggle('needs-photo', needsPhoto);
}

function itemNode(it, editable, number) {
  const node = el('li', { className: 'check-item card', attrs: { 'data-code': it.code, 'data-outcome': it.outcome || '' } });
  const group = el('div', { className: 'outcome-group', attrs: { role: 'radiogroup', 'aria-label': t('inspect.outcomeFor', { n: number }) } });
  for (const outcome of OUTCOMES) {
    const b = el('button', {
      className: 'outcome',
      text: t(`outcome.${outcome}`),
      attrs: {
        type: 'button', role: 'radio', 'data-outcome': outcome, 'aria-checked': it.outcome === outcome ? 'true' : 'false',
        disabled: editable ? null : '',
      },
    });
    b.addEventListener('click', () => setOutcome(it.code, outcome));
    group.append(b);
  }
  const noteId = `item-note-${it.code}`;
  const note = el('textarea', { className: 'item-note', attrs: { id: noteId, rows: '2', maxlength: '2000', disabled: editable ? null : '' } });
  note.value = it.note || '';
  const children = [
    el('div', { className: 'check-item-head' }, [
      el('span', { className: 'check-no', text: String(number) }),
      el('p', { className: 'check-text', text: localName(it, 'textZh', 'textEn') }),
    ]),
    group,
  ];
  let picker = null;
  if (editable) {
    picker = createPhotoPicker({ id: `item-photo-${it.code}`, labelKey: 'photo.add', max: 6 });
    const saved = Array.isArray(it.photoIds) ? it.photoIds : [];
    picker.preset(saved.map((id) => ({ id, url: `api/photos/${id}`, thumbnailUrl: `api/photos/${id}/thumbnail` })));
    children.push(
      el('div', { className: 'check-extra' }, [
        el('label', { className: 'field-label', text: t('inspect.note'), attrs: { for: noteId } }),
        note,
        picker.node,
      ]),
      el('p', { className: 'item-warning', text: t('inspect.failNeedsPhoto'), attrs: { hidden: '' } }),
    );
  } else {
    if (it.note) children.push(el('p', { className: 'event-note', text: it.note }));
    if (it.problemId) {
      children.push(el('a', { className: 'problem-link', text: t('inspect.problemLink', { id: it.problemId }), attrs: { href: problemHref(it.problemId) } }));
    }
    children.push(el('p', { className: 'item-warning', attrs: { hidden: '' } }));
  }
  node.append(...children);
  const item = { code: it.code, outcome: it.outcome || null, note, picker, node };
  note.addEventListener('input', () => updateProgress());
  return item;
}

function updateProgress() {
  const all = [...state.items.values()];
  const done = all.filter((i) => i.outcome).length;
  const failed = all.filter((i) => i.outcome === 'FAIL').length;
  document.getElementById('progress-text').textContent = t('inspect.progress', { done, total: all.length, failed });
  const fill = document.getElementById('progress-fill');
  fill.style.width = all.length ? `${Math.round((done / all.length) * 100)}%` : '0%'; // CSSOM: allowed by the CSP
  for (const item of all) if (item.picker) updateItemHint(item);
}

function showInspection(ins) {
  state.inspection = ins;
  const editable = ins.status === 'OPEN';
  section.dataset.status = ins.status;
  document.getElementById('inspection-heading').textContent = ins.pointName || '';
  document.getElementById('inspection-meta').textContent = [
    typeName(ins.pointTypeCode), ins.gridCode, t('inspect.startedAt', { time: formatDateTime(ins.startedAt) }),
  ].filter(Boolean).join(' · ');
  const list = document.getElementById('inspection-items');
  clear(list);
  state.items.clear();
  const items = [...(ins.items || [])].sort((a, b) => a.sortOrder - b.sortOrder);
  for (const [index, it] of items.entries()) {
    const item = itemNode(it, editable, index + 1);
    item.picker && item.picker.node.addEventListener('change', () => updateItemHint(item));
    state.items.set(it.code, item);
    list.append(item.node);
  }
  // The picker reports uploads through its data-uploaded attribute; watch it to refresh the photo hints.
  const observer = new MutationObserver(() => updateProgress());
  for (const item of state.items.values()) if (item.picker) observer.observe(item.picker.node, { attributes: true, attributeFilter: ['data-uploaded'] });
  document.getElementById('inspection-bar').hidden = !editable;
  updateProgress();
  if (editable) show('inspection');
  else showResult(ins);
  page.dataset.state = 'ready';
}

function collect() {
  const results = [];
  for (const item of state.items.values()) {
    if (!item.outcome) continue;
    results.push({
      itemCode: item.code,
      outcome: item.outcome,
      note: item.note.value.trim() || null,
      photoIds: item.picker ? item.picker.ids() : [],
    });
  }
  return results;
}

function markItem(code, text) {
  const item = state.items.get(code);
  if (!item) return;
  item.node.classList.add('is-invalid');
  const hint = item.node.querySelector('.item-warning');
  hint.textContent = text;
  hint.hidden = false;
}

function clearMarks() {
  for (const item of state.items.values()) {
    item.node.classList.remove('is-invalid');
    const hint = item.node.querySelector('.item-warning');
    hint.textContent = t('inspect.failNeedsPhoto');
  }
  updateProgress();
}

async function save({ quiet = false } = {}) {
  const results = collect();
  if ([...state.items.values()].some((i) => i.picker && i.picker.pending())) {
    setMessage(inspectionMessage, t('photo.waitUpload'), 'error');
    return false;
  }
  if (!results.length) {
    if (!quiet) setMessage(inspectionMessage, t('inspect.nothingToSave'), 'info');
    return true;
  }
  const updated = await api.saveResults(state.inspection.id, state.inspection.version, results);
  state.inspection = updated;
  if (!quiet) setMessage(inspectionMessage, t('inspect.saved', { time: formatDateTime(new Date().toISOString()) }), 'success');
  return true;
}

async function withBar(task) {
  if (state.busy) return;
  state.busy = true;
  const buttons = [document.getElementById('inspection-save'), document.getElementById('inspection-submit')];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await task();
  } catch (err) {
    setMessage(inspectionMessage, describeError(err), 'error');
    if (err.status === 409) {
      // Saved elsewhere (another tab or device): take the server's version, keep nothing stale.
      try { showInspection(await api.inspection(state.inspection.id)); } catch { /* the message stays */ }
    }
  } finally {
    state.busy = false;
    buttons.forEach((b) => { b.disabled = false; });
  }
}

async function submit() {
  clearMarks();
  clearMessage(inspectionMessage);
  let firstBad = null;
  for (const item of state.items.values()) {
    if (!item.outcome) {
      markItem(item.code, t('inspect.unanswered'));
      firstBad = firstBad || item;
    } else if (item.outcome === 'FAIL' && item.picker && item.picker.count() === 0) {
      markItem(item.code, t('inspect.failNeedsPhoto'));
      firstBad = firstBad || item;
    }
  }
  if (firstBad) {
    setMessage(inspectionMessage, t('inspect.fixItems'), 'error');
    firstBad.node.scrollIntoView({ block: 'center' });
    return;
  }
  if (!(await save({ quiet: true }))) return;
  const done = await api.submitInspection(state.inspection.id, state.inspection.version);
  clearMessage(inspectionMessage);
  showInspection(done);
}

function showResult(ins) {
  show('result');
  document.getElementById('score-rate').textContent = ins.scoreRate != null ? percent(ins.scoreRate) : t('common.none');
  document.getElementById('score-counts').textContent = t('inspect.counts', {
    passed: ins.passedCount, failed: ins.failedCount, na: ins.notApplicableCount,
  });
  const ul = document.getElementById('result-problems');
  clear(ul);
  const failed = (ins.items || []).filter((i) => i.problemId);
  for (const it of failed) {
    ul.append(el('li', { className: 'choice' }, [
      el('div', { className: 'choice-main' }, [
        el('span', { className: 'choice-title', text: localName(it, 'textZh', 'textEn') }),
        it.note ? el('span', { className: 'choice-sub', text: it.note }) : null,
      ]),
      el('div', { className: 'choice-side' }, [
        el('a', { className: 'btn btn-small problem-link', text: t('inspect.problemLink', { id: it.problemId }), attrs: { href: problemHref(it.problemId), 'data-problem-id': it.problemId } }),
      ]),
    ]));
  }
  document.getElementById('result-problems-heading').textContent = failed.length
    ? t('inspect.openedProblems', { n: failed.length })
    : t('inspect.noProblems');
  resultCard.scrollIntoView({ block: 'start' });
}

// ---- coverage (未督查点位) ----

async function loadCoverage() {
  const days = Number(document.getElementById('coverage-days').value) || 7;
  const ul = document.getElementById('coverage-list');
  const summary = document.getElementById('coverage-summary');
  let list;
  try {
    list = await api.coverage(days, 100);
  } catch (err) {
    summary.textContent = describeError(err);
    return;
  }
  clear(ul);
  summary.textContent = list.length >= 100 ? t('coverage.summaryMany', { days, n: list.length }) : t('coverage.summary', { days, n: list.length });
  for (const p of list) {
    ul.append(el('li', { className: 'choice' }, [
      el('div', { className: 'choice-main' }, [
        el('strong', { className: 'choice-title', text: p.name }),
        el('span', { className: 'choice-sub', text: [typeName(p.typeCode), p.gridCode].filter(Boolean).join(' · ') }),
      ]),
      el('div', { className: 'choice-side' }, [
        el('span', { className: p.lastInspectedAt ? 'muted' : 'pill pill-warn', text: p.lastInspectedAt ? t('coverage.last', { time: formatDateTime(p.lastInspectedAt) }) : t('inspect.never') }),
        el('a', { className: 'btn btn-small', text: t('inspect.choose'), attrs: { href: `inspect.html?pointId=${encodeURIComponent(p.pointId)}` } }),
      ]),
    ]));
  }
}

// ---- start ----

function render() {
  if (state.inspection) showInspection(state.inspection);
  else if (state.point) renderPoint(state.point);
  if (state.results.length) renderResults(state.results);
}

async function route() {
  const inspectionId = queryId('inspectionId');
  const pointId = queryId('pointId');
  if (inspectionId) {
    showInspection(await api.inspection(inspectionId));
  } else if (pointId) {
    await openPoint(pointId);
  } else {
    state.point = null;
    show('pick');
    page.dataset.state = 'ready';
  }
}

async function main() {
  const config = await bootPage({ render });
  state.user = config && config.user;
  const types = await api.pointTypes().catch(() => []);
  state.typesByCode = new Map((Array.isArray(types) ? types : []).map((ty) => [ty.code, ty]));
  document.getElementById('coverage-card').hidden = !hasRole(state.user, 'INSPECTOR') && !hasRole(state.user, 'LEADER');
  await route();
  if (!document.getElementById('coverage-card').hidden) loadCoverage();
}

document.getElementById('point-search-form').addEventListener('submit', search);
document.getElementById('point-near').addEventListener('click', nearby);
document.getElementById('point-change').addEventListener('click', () => {
  history.pushState(null, '', 'inspect.html');
  state.point = null;
  show('pick');
  document.getElementById('point-q').focus();
});
document.getElementById('inspection-start').addEventListener('click', startInspection);
document.getElementById('inspection-save').addEventListener('click', () => withBar(() => save()));
document.getElementById('inspection-submit').addEventListener('click', () => withBar(submit));
document.getElementById('coverage-days').addEventListener('change', () => loadCoverage());
window.addEventListener('popstate', () => { route().catch((err) => pageFailed(page, err)); });

main().catch((err) => pageFailed(page, err));
