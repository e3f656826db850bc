// 划片规划 (planner.html): pick a community or street, open or create a draft of its grids, edit them on the map
// (draw, move/add/remove vertices with snapping, split with a line, merge, delete, undo/redo), set code, name
// and owners, see the server's validation faults on the map, preview the impact, publish, and compare versions.
// The URL keeps area, draft and map view. window.civicgridPlanner is a small hook for the browser test.
import { el, clear, debounce } from './dom.js';
import { t, getLang, onLangChange } from './i18n.js';
import { api, isAbort } from './api.js';
import { bootPage, pageFailed } from './page.js';
import { describeError, setMessage, clearMessage } from './forms.js';
import { hasRole } from './roles.js';
import { planningApi } from './planner-api.js';
import { createPlannerMap, COMPARE_COLOURS } from './planner-map.js';

const FIXABLE = ['GAP', 'OVERLAP', 'EDGE_MISMATCH'];
const FORMATS = [['geojson', 'GeoJSON'], ['gpkg', 'GeoPackage'], ['shp', 'Shapefile (zip)']];
const AREA_RE = /^\d{9}(?:\d{3})?$/;
const $ = (id) => document.getElementById(id);

const state = {
  config: null,
  canEdit: false,
  areas: [],
  communities: [], // boundary features of the caller's communities
  area: '',
  doc: null,
  validation: null,
  selected: [],
  editing: false,
  undo: [], // [{before, after}] draft documents around each edit
  redo: [],
  busy: false,
  compare: null,
  view: null,
  impact: null, // the last impact preview shown, and the last publication: re-rendered when the language changes
  published: null,
};
let pmap = null;

// ---- URL ------------------------------------------------------------------------------------------------------

function readUrl() {
  const p = new URLSearchParams(location.search);
  const area = p.get('area');
  const draft = Number(p.get('draft'));
  const center = (p.get('center') || '').split(',').map(Number);
  const zoom = Number(p.get('zoom'));
  return {
    area: area && AREA_RE.test(area) ? area : '',
    draft: Number.isInteger(draft) && draft > 0 ? draft : null,
    center: center.length === 2 && center.every(Number.isFinite) ? center : null,
    zoom: p.get('zoom') && Number.isFinite(zoom) ? zoom : null,
  };
}

function writeUrl() {
  const p = new URLSearchParams();
  if (state.area) p.set('area', state.area);
  if (state.doc) p.set('draft', String(state.doc.draft.id));
  if (state.view) {
    p.set('center', `${state.view.center[0].toFixed(5)},${state.view.center[1].toFixed(5)}`);
    p.set('zoom', String(state.view.zoom));
  }
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang) p.set('lang', lang);
  history.replaceState(history.state, '', `${location.pathname}?${p.toString().replace(/%2C/g, ',')}`);
}

// ---- messages -------------------------------------------------------------------------------------------------

function say(text, kind = 'error') {
  setMessage($('page-message'), text, kind);
}

/** A failed write: 409 with currentVersion → offer reload; 409 with conflicts → the stale warning; else the message. */
function failed(err) {
  if (isAbort(err)) return;
  console.error(err);
  if (err && err.status === 409 && Number.isFinite(err.currentVersion)) {
    $('conflict-text').textContent = t('planner.conflict.text', { version: err.currentVersion, mine: state.doc ? state.doc.draft.version : '' });
    $('conflict-box').hidden = false;
    return;
  }
  if (err && err.status === 409 && Array.isArray(err.conflicts)) {
    showStale(err.conflicts);
    say(describeError(err));
    return;
  }
  say(describeError(err));
}

async function busy(fn) {
  if (state.busy) return undefined;
  state.busy = true;
  document.body.dataset.busy = 'true';
  clearMessage($('page-message'));
  try {
    return await fn();
  } catch (err) {
    failed(err);
    return undefined;
  } finally {
    state.busy = false;
    delete document.body.dataset.busy;
    renderTools();
  }
}

// ---- areas and drafts -----------------------------------------------------------------------------------------

function levelOf(a) {
  return String(a.level || '').toLowerCase();
}

function renderAreaSelect() {
  const select = $('area-select');
  const streets = state.areas.filter((a) => levelOf(a) === 'street');
  const communities = state.areas.filter((a) => levelOf(a) === 'community');
  const options = [el('option', { text: t('planner.area.choose'), attrs: { value: '' } })];
  for (const s of streets) {
    const group = el('optgroup', { attrs: { label: s.name } });
    group.append(el('option', { text: t('planner.area.wholeStreet', { name: s.name }), attrs: { value: s.code } }));
    for (const c of communities.filter((x) => x.parentCode === s.code)) {
      group.append(el('option', { text: `${c.name} (${c.code})`, attrs: { value: c.code } }));
    }
    options.push(group);
  }
  const orphans = communities.filter((c) => !streets.some((s) => s.code === c.parentCode));
  for (const c of orphans) options.push(el('option', { text: `${c.name} (${c.code})`, attrs: { value: c.code } }));
  select.replaceChildren(...options);
  select.value = state.area;
}

function areaName(code) {
  const a = state.areas.find((x) => x.code === code);
  return a ? a.name : code;
}

async function selectArea(code, { keepDraft = false } = {}) {
  state.area = code;
  if (!keepDraft) setDoc(null);
  state.compare = null;
  pmap.setCompare(null);
  $('compare-clear').hidden = true;
  $('compare-summary').textContent = '';
  writeUrl();
  const boundary = state.communities.filter((f) => f.properties.code.startsWith(code));
  pmap.setBoundary(boundary);
  if (!code) {
    pmap.setLive(null);
    clear($('draft-list'));
    clear($('others-editing'));
    clear($('history-list'));
    renderFiles();
    return;
  }
  if (!keepDraft && boundary.length) pmap.fitTo(boundary);
  renderFiles();
  await Promise.all([loadDrafts(), loadLive(), loadHistory()]);
}

async function loadLive() {
  try {
    pmap.setLive(await planningApi.gridsAt(state.area));
  } catch (err) {
    failed(err);
  }
}

function who(user) {
  if (!user) return '';
  return user.name ? `${user.name} (${user.username})` : String(user.username || '');
}

function when(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? String(instant)
    : d.toLocaleString(getLang() === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short' });
}

function renderOthers(list, host) {
  host.replaceChildren(...(list || []).map((o) => el('li', {
    className: 'pl-warn',
    text: t('planner.others.editing', { user: who(o.user), draft: o.draftId, since: when(o.lastEditedAt || o.since) }),
  })));
}

async function loadDrafts() {
  const list = $('draft-list');
  list.dataset.state = 'loading';
  try {
    const answer = await planningApi.drafts(state.area, 'OPEN');
    renderOthers(answer.othersEditing, $('others-editing'));
    const drafts = answer.drafts || [];
    list.replaceChildren(...(drafts.length ? drafts.map((d) => {
      const open = el('button', { className: 'btn btn-small', text: t('planner.drafts.open'), attrs: { type: 'button', 'data-draft': d.id } });
      open.addEventListener('click', () => openDraft(d.id));
      const current = state.doc && state.doc.draft.id === d.id;
      return el('li', { className: current ? 'pl-item is-current' : 'pl-item', attrs: { 'data-draft-id': d.id } }, [
        el('span', { className: 'pl-item-main' }, [
          el('strong', { text: d.name || t('planner.drafts.unnamed', { id: d.id }) }),
          el('span', { className: 'muted pl-small', text: t('planner.drafts.meta', { id: d.id, user: who(d.createdBy), grids: d.grids, updated: when(d.updatedAt) }) }),
        ]),
        open,
      ]);
    }) : [el('li', { className: 'muted pl-small', text: t('planner.drafts.none') })]));
    list.dataset.state = 'ready';
  } catch (err) {
    list.dataset.state = 'error';
    failed(err);
  }
}

async function createDraft(event) {
  event.preventDefault();
  if (!state.area) { say(t('planner.area.required')); return; }
  await busy(async () => {
    const doc = await planningApi.createDraft(state.area, $('draft-name').value.trim());
    $('draft-name').value = '';
    state.undo = [];
    state.redo = [];
    setDoc(doc);
    pmap.fitTo(doc.features.length ? doc.features : state.communities.filter((f) => f.properties.code.startsWith(state.area)));
    await loadDrafts();
  });
}

async function openDraft(id, { fit = true } = {}) {
  await busy(async () => {
    const doc = await planningApi.draft(id);
    state.undo = [];
    state.redo = [];
    if (doc.draft.areaCode !== state.area) {
      state.area = doc.draft.areaCode;
      $('area-select').value = state.area;
      await selectArea(state.area, { keepDraft: true });
    }
    setDoc(doc);
    if (fit && doc.features.length) pmap.fitTo(doc.features);
    await loadDrafts();
  });
}

async function discardDraft() {
  if (!state.doc) return;
  await busy(async () => {
    await planningApi.discard(state.doc.draft.id, state.doc.draft.version);
    setDoc(null);
    await loadDrafts();
  });
}

// ---- the draft document ---------------------------------------------------------------------------------------

function editable() {
  return !!(state.canEdit && state.doc && state.doc.draft.status === 'OPEN');
}

function setDoc(doc) {
  state.doc = doc;
  $('conflict-box').hidden = true;
  const keys = new Set(doc ? doc.features.map((f) => f.properties.key) : []);
  state.selected = state.selected.filter((k) => keys.has(k));
  if (!doc) { state.editing = false; state.selected = []; }
  pmap.setDraft(doc);
  pmap.setSelected(state.selected);
  pmap.setEditing(state.editing && editable());
  pmap.clearFaults();
  $('planner-map').dataset.draftVersion = doc ? String(doc.draft.version) : '';
  $('planner-map').dataset.draftGrids = doc ? String(doc.features.length) : '';
  renderDraftHead();
  renderGridForm();
  renderTools();
  renderFiles();
  clear($('impact'));
  state.impact = null;
  $('impact').dataset.state = 'idle';
  $('publish-form').hidden = true;
  writeUrl();
  if (doc) loadValidation(); else renderValidation(null);
}

function renderDraftHead() {
  const doc = state.doc;
  const title = $('draft-title');
  const status = $('draft-status');
  if (!doc) {
    title.textContent = t('planner.noDraft');
    status.hidden = true;
    $('draft-discard').hidden = true;
    $('stale-warning').hidden = true;
    return;
  }
  const d = doc.draft;
  title.textContent = t('planner.draftTitle', { name: d.name || t('planner.drafts.unnamed', { id: d.id }), area: d.areaName || areaName(d.areaCode), version: d.version });
  status.hidden = false;
  status.textContent = t(`planner.status.${d.status}`);
  status.dataset.status = d.status;
  $('draft-discard').hidden = !editable();
  if (d.stale) showStale(null); else $('stale-warning').hidden = true;
  renderOthers(doc.othersEditing, $('others-editing'));
}

function showStale(conflicts) {
  const box = $('stale-warning');
  const parts = [t('planner.stale')];
  for (const c of conflicts || []) parts.push(t('planner.conflictItem', { code: c.code, change: t(`planner.change.${c.change}`) }));
  box.textContent = parts.join(' ');
  box.hidden = false;
}

function feature(key) {
  return state.doc && state.doc.features.find((f) => f.properties.key === key);
}

/** Runs one write that answers the whole document; records it for undo. */
async function edit(write) {
  if (!editable()) return;
  await busy(async () => {
    const before = state.doc;
    const after = await write(before.draft.id, before.draft.version);
    state.undo.push({ before, after });
    if (state.undo.length > 50) state.undo.shift();
    state.redo = [];
    setDoc(after);
    loadDrafts();
  });
}

function gridBody(f) {
  const p = f.properties;
  return {
    geometry: f.geometry, code: p.code, name: p.name,
    households: p.households == null ? null : p.households,
    ownerIds: (p.owners || []).map((o) => o.id),
  };
}

const same = (a, b) => JSON.stringify(gridBody(a)) === JSON.stringify(gridBody(b));

/** Brings the draft's grids to target's (an earlier or later document) with PUT/POST/DELETE; each answers the doc. */
async function restore(target) {
  let doc = state.doc;
  const want = new Map(target.features.map((f) => [f.properties.key, f]));
  const have = new Map(doc.features.map((f) => [f.properties.key, f]));
  for (const [key] of have) {
    if (!want.has(key)) doc = await planningApi.deleteGrid(doc.draft.id, doc.draft.version, key);
  }
  for (const [key, f] of want) {
    const now = have.get(key);
    if (now && !same(now, f)) doc = await planningApi.updateGrid(doc.draft.id, doc.draft.version, key, gridBody(f));
  }
  for (const [key, f] of want) {
    if (!have.has(key)) {
      const body = gridBody(f);
      if (body.households == null) delete body.households;
      doc = await planningApi.addGrid(doc.draft.id, doc.draft.version, body);
    }
  }
  return doc;
}

async function undo() {
  if (!editable() || !state.undo.length) return;
  const step = state.undo[state.undo.length - 1];
  await busy(async () => {
    const doc = await restore(step.before);
    state.undo.pop();
    state.redo.push({ before: step.before, after: step.after });
    setDoc(doc);
  });
}

async function redo() {
  if (!editable() || !state.redo.length) return;
  const step = state.redo[state.redo.length - 1];
  await busy(async () => {
    const doc = await restore(step.after);
    state.redo.pop();
    state.undo.push({ before: state.doc, after: doc });
    setDoc(doc);
  });
}

// ---- tools ----------------------------------------------------------------------------------------------------

function renderTools() {
  const on = editable();
  $('tools-box').hidden = !on;
  $('publish-start').hidden = !on;
  if (!on) return;
  const one = state.selected.length === 1;
  const drawing = pmap.drawing();
  $('tool-draw').disabled = state.busy || drawing;
  $('tool-split').disabled = state.busy || drawing || !one;
  $('tool-edit').disabled = state.busy || !one;
  $('tool-edit').setAttribute('aria-pressed', String(state.editing));
  $('tool-merge').disabled = state.busy || state.selected.length !== 2;
  $('tool-delete').disabled = state.busy || !one;
  $('tool-undo').disabled = state.busy || !state.undo.length;
  $('tool-redo').disabled = state.busy || !state.redo.length;
  $('drawing-bar').hidden = !drawing;
  $('publish-start').disabled = state.busy || !state.validation || !state.validation.valid || !state.doc.features.length;
}

let drawingShape = null;

function startDraw(shape) {
  drawingShape = shape;
  state.editing = false;
  pmap.setEditing(false);
  pmap.startDraw(shape);
  $('drawing-hint').textContent = t(shape === 'Line' ? 'planner.tools.splitHint' : 'planner.tools.drawHint');
  $('planner-map').dataset.drawing = shape;
  renderTools();
}

function stopDraw() {
  drawingShape = null;
  pmap.cancelDraw();
  delete $('planner-map').dataset.drawing;
  renderTools();
}

function onDrawn(shape, geometry) {
  delete $('planner-map').dataset.drawing;
  drawingShape = null;
  pmap.cancelDraw();
  if (shape === 'Line') {
    const key = state.selected[0];
    if (key == null) { say(t('planner.tools.selectFirst')); renderTools(); return; }
    edit((id, v) => planningApi.split(id, v, key, geometry));
  } else if (shape === 'Polygon') {
    edit((id, v) => planningApi.addGrid(id, v, { geometry }));
  }
}

const saveGeometry = debounce((key, geometry) => {
  const f = feature(key);
  if (!f) return;
  edit((id, v) => planningApi.updateGrid(id, v, key, { geometry }));
}, 350);

function onSelect(key, additive) {
  if (pmap.drawing()) return;
  if (additive && state.selected.length && !state.selected.includes(key)) {
    state.selected = [state.selected[state.selected.length - 1], key];
    state.editing = false;
  } else {
    state.selected = state.selected.length === 1 && state.selected[0] === key && !state.editing ? [] : [key];
  }
  pmap.setSelected(state.selected);
  pmap.setEditing(state.editing && editable());
  renderGridForm();
  renderTools();
}

// ---- the selected grid's properties ---------------------------------------------------------------------------

function knownOwners() {
  const byId = new Map();
  for (const f of (state.doc ? state.doc.features : [])) for (const o of f.properties.owners || []) byId.set(o.id, o);
  return [...byId.values()].sort((a, b) => String(a.username).localeCompare(String(b.username)));
}

function renderGridForm() {
  const f = state.selected.length === 1 ? feature(state.selected[0]) : null;
  $('grid-box').hidden = !f;
  if (!f) return;
  const p = f.properties;
  const ro = !editable();
  $('grid-code').value = p.code || '';
  $('grid-name').value = p.name || '';
  $('grid-households').value = p.households == null ? '' : String(p.households);
  $('grid-owner-ids').value = '';
  for (const id of ['grid-code', 'grid-name', 'grid-households', 'grid-owner-ids']) $(id).readOnly = ro;
  $('grid-save').hidden = ro;
  $('grid-propose').hidden = ro;
  const mine = new Set((p.owners || []).map((o) => o.id));
  $('grid-owner-choices').replaceChildren(...knownOwners().map((o) => {
    const box = el('input', { attrs: { type: 'checkbox', value: o.id, name: 'owner' } });
    box.checked = mine.has(o.id);
    box.disabled = ro;
    const phone = o.phone ? ` · ${o.phone}` : '';
    return el('label', { className: 'pl-check' }, [box, ` ${o.name || o.username} (${o.username}, #${o.id})${phone}`]);
  }));
  if (!knownOwners().length) $('grid-owner-choices').append(el('p', { className: 'muted pl-small', text: t('planner.grid.noOwners') }));
  const area = Number(p.areaSqm);
  $('grid-facts').textContent = t('planner.grid.facts', { key: p.key, area: Number.isFinite(area) ? (area / 10000).toFixed(2) : '–' });
}

async function saveGrid(event) {
  event.preventDefault();
  const key = state.selected[0];
  if (key == null) return;
  const ids = [...$('grid-owner-choices').querySelectorAll('input[name=owner]:checked')].map((b) => Number(b.value));
  const extra = $('grid-owner-ids').value.split(/[\s,，;]+/).filter(Boolean);
  for (const s of extra) {
    if (!/^\d{1,18}$/.test(s)) { say(t('planner.grid.badOwner', { value: s })); return; }
    ids.push(Number(s));
  }
  const body = { code: $('grid-code').value.trim(), name: $('grid-name').value.trim(), ownerIds: [...new Set(ids)] };
  const hh = $('grid-households').value.trim();
  if (hh !== '') body.households = Number(hh);
  await edit((id, v) => planningApi.updateGrid(id, v, key, body));
}

async function proposeCode() {
  const f = state.selected.length === 1 ? feature(state.selected[0]) : null;
  if (!f) return;
  await busy(async () => {
    const code = String(f.properties.code || '');
    const community = state.doc.draft.areaCode.length === 9 && /^\d{15}$/.test(code) ? code.slice(0, 12) : null;
    const answer = await planningApi.proposeCode(state.doc.draft.id, community);
    $('grid-code').value = answer.code;
  });
}

// ---- validation -----------------------------------------------------------------------------------------------

let validationCtl = null;

async function loadValidation() {
  if (!state.doc) return;
  if (validationCtl) validationCtl.abort();
  const ctl = new AbortController();
  validationCtl = ctl;
  $('fault-list').dataset.state = 'loading';
  try {
    const v = await planningApi.validation(state.doc.draft.id, ctl.signal);
    if (ctl.signal.aborted) return;
    renderValidation(v);
  } catch (err) {
    if (!isAbort(err)) { $('fault-list').dataset.state = 'error'; failed(err); }
  }
}

function renderValidation(v) {
  state.validation = v;
  const list = $('fault-list');
  const summary = $('validation-summary');
  list.dataset.faults = v ? String(v.faults.length) : '';
  if (!v) {
    clear(list);
    summary.textContent = t('planner.validation.none');
    list.dataset.state = 'idle';
    renderTools();
    return;
  }
  summary.textContent = v.valid ? t('planner.validation.ok') : t('planner.validation.faults', { n: v.faults.length });
  summary.className = v.valid ? 'pl-small pl-ok' : 'pl-small pl-bad';
  list.replaceChildren(...v.faults.map((f) => {
    const show = el('button', { className: 'pl-fault-show', attrs: { type: 'button', 'data-fault': f.index } }, [
      el('strong', { text: t(`planner.fault.${f.type}`) }),
      el('span', { className: 'pl-small', text: f.message }),
    ]);
    show.addEventListener('click', () => {
      for (const b of list.querySelectorAll('.pl-fault-show')) b.removeAttribute('aria-current');
      show.setAttribute('aria-current', 'true');
      pmap.showFault(f.location);
      if (f.gridKey != null || (f.gridKeys && f.gridKeys.length)) {
        state.selected = f.gridKey != null ? [f.gridKey] : f.gridKeys.slice(0, 2);
        pmap.setSelected(state.selected);
        renderGridForm();
        renderTools();
      }
    });
    const item = el('li', { className: 'pl-fault', attrs: { 'data-type': f.type } }, [show]);
    if (FIXABLE.includes(f.type) && editable()) {
      const fix = el('button', { className: 'btn btn-small', text: t('planner.validation.fix'), attrs: { type: 'button', 'data-fix': f.index } });
      fix.addEventListener('click', () => fixFault(f.index));
      item.append(fix);
    }
    return item;
  }));
  list.dataset.state = 'ready';
  renderTools();
}

async function fixFault(index) {
  if (!editable()) return;
  await busy(async () => {
    const before = state.doc;
    await planningApi.fix(before.draft.id, before.draft.version, index);
    const after = await planningApi.draft(before.draft.id);
    state.undo.push({ before, after });
    state.redo = [];
    setDoc(after);
  });
}

// ---- impact preview -------------------------------------------------------------------------------------------

function table(head, rows, numeric = []) {
  return el('div', { className: 'table-wrap pl-table-wrap' }, [el('table', { className: 'table pl-table' }, [
    el('thead', {}, [el('tr', {}, head.map((h, i) => el('th', { className: numeric.includes(i) ? 'num' : null, text: h, attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c, i) => el('td', { className: numeric.includes(i) ? 'num' : null, text: c == null ? '–' : c }))))),
  ])]);
}

async function runImpact() {
  if (!state.doc) return;
  const host = $('impact');
  host.dataset.state = 'loading';
  host.replaceChildren(el('p', { className: 'muted pl-small', text: t('status.loading') }));
  try {
    state.impact = await planningApi.impact(state.doc.draft.id);
    renderImpact(state.impact);
  } catch (err) {
    host.dataset.state = 'error';
    clear(host);
    failed(err);
  }
}

function renderImpact(r) {
  const host = $('impact');
  const parts = [];
  if (r.stale || (r.conflicts && r.conflicts.length)) {
    parts.push(el('p', { className: 'pl-warn', text: [t('planner.stale'), ...(r.conflicts || []).map((c) => t('planner.conflictItem', { code: c.code, change: t(`planner.change.${c.change}`) }))].join(' ') }));
  }
  parts.push(el('p', { className: 'pl-small', text: t('planner.impact.summary', { points: r.points.length, problems: r.problems.length }) }));
  if (r.pointsLeavingArea || r.unassignedPoints || r.unassignedProblems) {
    parts.push(el('p', { className: 'pl-warn', text: t('planner.impact.unassigned', { leaving: r.pointsLeavingArea || 0, points: r.unassignedPoints || 0, problems: r.unassignedProblems || 0 }) }));
  }
  const arrow = (x) => x || t('planner.impact.noGrid');
  if (r.points.length) {
    parts.push(el('h3', { className: 'pl-sub-h', text: t('planner.impact.points') }));
    parts.push(table([t('planner.impact.point'), t('planner.impact.from'), t('planner.impact.to')],
      r.points.map((p) => [p.name || `#${p.id}`, arrow(p.fromGrid), arrow(p.toGrid)])));
  }
  if (r.problems.length) {
    parts.push(el('h3', { className: 'pl-sub-h', text: t('planner.impact.problems') }));
    parts.push(table([t('planner.impact.problem'), t('planner.impact.from'), t('planner.impact.to')],
      r.problems.map((p) => [`#${p.id}`, arrow(p.fromGrid), arrow(p.toGrid)])));
  }
  parts.push(el('h3', { className: 'pl-sub-h', text: t('planner.impact.workload') }));
  parts.push(table([t('planner.grid.code'), t('planner.grid.name'), t('planner.impact.wPoints'), t('planner.impact.wProblems'), t('planner.grid.households'), t('planner.impact.wArea')],
    r.workload.map((w) => [w.code, w.name, w.points, w.openProblems, w.households, Number.isFinite(Number(w.areaSqm)) ? (Number(w.areaSqm) / 10000).toFixed(2) : null]),
    [2, 3, 4, 5]));
  host.replaceChildren(...parts);
  host.dataset.state = 'ready';
  host.dataset.points = String(r.points.length);
  host.dataset.problems = String(r.problems.length);
}

// ---- publish --------------------------------------------------------------------------------------------------

function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000); // Asia/Shanghai
  return d.toISOString().slice(0, 10);
}

async function publish(event) {
  event.preventDefault();
  if (!editable()) return;
  await busy(async () => {
    const d = state.doc.draft;
    const date = $('publish-date').value || today();
    const r = await planningApi.publish(d.id, d.version, date);
    $('publish-form').hidden = true;
    state.published = r;
    renderPublished(r);
    const doc = await planningApi.draft(d.id);
    setDoc(doc);
    if (doc.features.length) pmap.fitTo(doc.features);
    await Promise.all([loadDrafts(), loadLive(), loadHistory()]);
  });
}

function renderPublished(r) {
  const result = $('publish-result');
  setMessage(result, t('planner.publish.done', {
    id: r.publicationId, date: r.effectiveFrom, ended: r.gridsEnded, begun: r.gridsBegun, points: r.pointsReassigned, problems: r.problemsReassigned,
  }), 'success');
  result.dataset.publicationId = String(r.publicationId);
}

// ---- history and compare --------------------------------------------------------------------------------------

let compareTouched = false;

async function loadHistory() {
  const list = $('history-list');
  list.dataset.state = 'loading';
  try {
    const h = await planningApi.history(state.area);
    const pubs = h.publications || [];
    list.replaceChildren(...(pubs.length ? pubs.map((p) => el('li', { className: 'pl-item', attrs: { 'data-publication': p.publicationId } }, [
      el('span', { className: 'pl-item-main' }, [
        el('strong', { text: t('planner.history.item', { id: p.publicationId, date: p.effectiveFrom }) }),
        el('span', { className: 'muted pl-small', text: t('planner.history.meta', { user: who(p.publishedBy), at: when(p.publishedAt), ended: p.gridsEnded, begun: p.gridsBegun, points: p.pointsReassigned, problems: p.problemsReassigned }) }),
      ]),
    ])) : [el('li', { className: 'muted pl-small', text: t('planner.history.none', { n: (h.versions || []).length }) })]));
    list.dataset.state = 'ready';
    list.dataset.publications = String(pubs.length);
    if (!compareTouched) {
      // default: the day before the latest publication (or yesterday) against today
      const last = pubs.length ? pubs[0].effectiveFrom : today();
      $('compare-a').value = new Date(Date.parse(`${last}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
      $('compare-b').value = today();
    }
  } catch (err) {
    list.dataset.state = 'error';
    failed(err);
  }
}

async function runCompare(event) {
  event.preventDefault();
  if (!state.area) return;
  const a = $('compare-a').value;
  const b = $('compare-b').value;
  if (!a || !b) return;
  try {
    const [fa, fb] = await Promise.all([planningApi.gridsAt(state.area, a), planningApi.gridsAt(state.area, b)]);
    state.compare = [fa, fb];
    pmap.setCompare(state.compare);
    $('compare-clear').hidden = false;
    renderCompareSummary(a, b);
    $('planner-map').dataset.compare = `${fa.features.length},${fb.features.length}`;
  } catch (err) {
    failed(err);
  }
}

function renderCompareSummary(a = $('compare-a').value, b = $('compare-b').value) {
  if (!state.compare) return;
  const [fa, fb] = state.compare;
  $('compare-summary').textContent = t('planner.compare.summary', { a, na: fa.features.length, b, nb: fb.features.length });
}

function clearCompare() {
  state.compare = null;
  pmap.setCompare(null);
  $('compare-clear').hidden = true;
  $('compare-summary').textContent = '';
  delete $('planner-map').dataset.compare;
}

// ---- import / export ------------------------------------------------------------------------------------------

function links(host, urlOf) {
  host.replaceChildren(...FORMATS.map(([format, name]) => el('a', { text: name, attrs: { href: urlOf(format), download: '', 'data-format': format } })));
}

function renderFiles() {
  $('files-box').hidden = !state.area;
  if (!state.area) return;
  $('import-form').hidden = !editable();
  links($('export-live'), (f) => planningApi.exportLiveUrl(state.area, f));
  const draft = $('export-draft');
  draft.parentElement.hidden = !state.doc;
  if (state.doc) links(draft, (f) => planningApi.exportDraftUrl(state.doc.draft.id, f));
}

async function importFile(event) {
  event.preventDefault();
  const file = $('import-file').files[0];
  if (!file) { say(t('planner.files.required')); return; }
  await edit((id, v) => planningApi.importFile(id, v, file, $('import-mode').value));
  $('import-file').value = '';
}

// ---- start ----------------------------------------------------------------------------------------------------

function render() {
  if (!pmap) return;
  renderAreaSelect();
  renderDraftHead();
  renderGridForm();
  renderValidation(state.validation);
  pmap.legend($('map-legend'));
  pmap.setLang(getLang());
  renderTools();
}

function bind() {
  $('area-select').addEventListener('change', (e) => selectArea(e.target.value).catch(failed));
  $('create-form').addEventListener('submit', createDraft);
  $('draft-discard').addEventListener('click', discardDraft);
  $('conflict-reload').addEventListener('click', () => state.doc && openDraft(state.doc.draft.id, { fit: false }));
  $('tool-draw').addEventListener('click', () => startDraw('Polygon'));
  $('tool-split').addEventListener('click', () => startDraw('Line'));
  $('draw-finish').addEventListener('click', () => pmap.finishDraw());
  $('draw-cancel').addEventListener('click', stopDraw);
  $('tool-edit').addEventListener('click', () => {
    state.editing = !state.editing;
    pmap.setEditing(state.editing && editable());
    renderTools();
  });
  $('tool-merge').addEventListener('click', () => {
    const keys = state.selected.slice();
    edit((id, v) => planningApi.merge(id, v, keys));
  });
  $('tool-delete').addEventListener('click', () => {
    const key = state.selected[0];
    edit((id, v) => planningApi.deleteGrid(id, v, key));
  });
  $('tool-undo').addEventListener('click', undo);
  $('tool-redo').addEventListener('click', redo);
  $('grid-form').addEventListener('submit', saveGrid);
  $('grid-propose').addEventListener('click', proposeCode);
  $('impact-run').addEventListener('click', runImpact);
  $('publish-start').addEventListener('click', () => {
    $('publish-form').hidden = false;
    $('publish-date').value = today();
    $('publish-date').min = today();
    clearMessage($('publish-result'));
  });
  $('publish-cancel').addEventListener('click', () => { $('publish-form').hidden = true; });
  $('publish-form').addEventListener('submit', publish);
  $('compare-form').addEventListener('submit', runCompare);
  for (const id of ['compare-a', 'compare-b']) $(id).addEventListener('change', () => { compareTouched = true; });
  $('compare-clear').addEventListener('click', clearCompare);
  $('import-form').addEventListener('submit', importFile);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && pmap.drawing()) stopDraw();
  });
}

async function start() {
  const main = $('planner-page');
  try {
    const config = await bootPage({ render });
    state.config = config;
    const user = config && config.user;
    if (!(hasRole(user, 'PLANNER') || hasRole(user, 'ADMIN') || hasRole(user, 'LEADER'))) {
      main.dataset.state = 'forbidden';
      say(t('planner.forbidden'));
      return;
    }
    state.canEdit = hasRole(user, 'PLANNER') || hasRole(user, 'ADMIN');
    $('create-form').hidden = !state.canEdit;
    $('publish-box').hidden = !state.canEdit;
    pmap = createPlannerMap($('planner-map'), config, {
      onSelect, onDrawn,
      onGeometryEdited: (key, geometry) => saveGeometry(key, geometry),
      onMove: (center, zoom) => { state.view = { center, zoom }; writeUrl(); },
    });
    window.civicgridPlanner = {
      map: pmap.map,
      doc: () => state.doc,
      validation: () => state.validation,
      select: (key) => {
        state.selected = [key];
        pmap.setSelected(state.selected);
        pmap.setEditing(state.editing && editable());
        renderGridForm();
        renderTools();
      },
      layerOf: (key) => pmap.layerOf(key),
    };
    bind();
    const b = window.L.latLngBounds(config.bounds);
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => n.toFixed(6)).join(',');
    const [areas, communities] = await Promise.all([
      api.areaDirectory(),
      planningApi.communities(bbox).catch((err) => { console.error(err); return { features: [] }; }),
    ]);
    state.areas = (areas || []).filter((a) => ['street', 'community'].includes(levelOf(a)));
    state.communities = (communities && communities.features) || [];
    const url = readUrl();
    render();
    if (url.area && state.areas.some((a) => a.code === url.area)) {
      $('area-select').value = url.area;
      await selectArea(url.area);
    } else {
      // Nothing chosen yet: show the communities of the caller's area to choose from, not an empty map.
      pmap.setBoundary(state.communities);
    }
    if (url.draft) await openDraft(url.draft, { fit: !url.center });
    if (url.center && url.zoom != null) pmap.map.setView(url.center, url.zoom);
    main.dataset.state = 'ready';
  } catch (err) {
    pageFailed(main, err);
  }
}

// Everything drawn from data with translated words around it is drawn again in the new language.
onLangChange(() => {
  if (!pmap) return;
  if (state.doc) renderValidation(state.validation);
  if (state.area) {
    loadDrafts();
    loadHistory();
  }
  if (state.impact) renderImpact(state.impact);
  if (state.published && !$('publish-result').hidden) renderPublished(state.published);
  renderCompareSummary();
  if (drawingShape) $('drawing-hint').textContent = t(drawingShape === 'Line' ? 'planner.tools.splitHint' : 'planner.tools.drawHint');
});
start();
