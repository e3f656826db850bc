// 工作台: the caller's worklists as tabs, sorted by deadline; select rows to dispatch or urge in bulk.
import { t } from './i18n.js';
import { api, isAbort } from './api.js';
import { el, clear } from './dom.js';
import { hasRole } from './roles.js';
import { formatDateTime, departmentName } from './format.js';
import { describeError, setMessage, clearMessage, busy } from './forms.js';
import { bootPage, pageFailed } from './page.js';
import { statusPill, lightDot, deadlineNode, problemHref, label } from './loop.js';

const LIMIT = 200;
const page = document.getElementById('worklist-page');
const panel = document.getElementById('worklist-panel');
const tabsNode = document.getElementById('worklist-tabs');
const body = document.getElementById('worklist-body');
const bulkForm = document.getElementById('bulk-form');
const bulkResult = document.getElementById('bulk-result');
const selectAll = document.getElementById('select-all');

const state = {
  user: null,
  names: [],
  current: null,
  items: [],
  selected: new Set(),
  departments: [],
  departmentsByCode: new Map(),
  loadCtl: null,
};

const isSupervisor = () => ['INSPECTOR', 'LEADER', 'ADMIN'].some((r) => hasRole(state.user, r));
const isLeader = () => hasRole(state.user, 'LEADER');

/** Which bulk moves make sense on the current list for this user. */
function bulkMoves() {
  const moves = [];
  if (state.current === 'to-dispatch' && isSupervisor()) moves.push('dispatch');
  if (isLeader() && state.current !== 'to-accept') moves.push('urge');
  return moves;
}

// ---- tabs ----

function renderTabs() {
  clear(tabsNode);
  for (const name of state.names) {
    const tab = el('button', {
      className: 'tab',
      text: label('worklist.name', name),
      attrs: {
        type: 'button', role: 'tab', id: `tab-${name}`, 'data-list': name, 'aria-controls': 'worklist-panel',
        'aria-selected': name === state.current ? 'true' : 'false',
      },
    });
    tab.addEventListener('click', () => selectList(name));
    tabsNode.append(tab);
  }
  panel.setAttribute('aria-labelledby', state.current ? `tab-${state.current}` : '');
}

function selectList(name) {
  if (name === state.current) return;
  state.current = name;
  history.replaceState(history.state, '', `#${name}`);
  state.selected.clear();
  setMessage(bulkResult, '');
  bulkResult.hidden = true;
  renderTabs();
  load().catch((err) => pageFailed(page, err));
}

// ---- table ----

function handlerText(item) {
  if (item.assigneeName) return item.assigneeName;
  if (item.handlerDepartmentCode) {
    const dept = state.departmentsByCode.get(item.handlerDepartmentCode);
    return dept ? departmentName(dept) : item.handlerDepartmentCode;
  }
  return '';
}

function flags(item) {
  const list = [];
  if (item.supervised) list.push(el('span', { className: 'pill pill-bad', text: t('flag.supervised') }));
  if (item.urgeCount > 0) list.push(el('span', { className: 'pill pill-warn', text: t('flag.urged', { n: item.urgeCount }) }));
  if (item.extensionPending) list.push(el('span', { className: 'pill pill-muted', text: t('flag.extensionPending') }));
  return el('span', { className: 'pills' }, list);
}

function row(item, selectable) {
  const href = problemHref(item.id);
  const check = el('input', {
    className: 'row-select',
    attrs: { type: 'checkbox', 'aria-label': t('worklist.selectOne', { id: item.id }), 'data-id': item.id },
  });
  check.checked = state.selected.has(item.id);
  check.addEventListener('change', () => {
    if (check.checked) state.selected.add(item.id);
    else state.selected.delete(item.id);
    renderBulk();
  });
  const cell = (className, children, labelKey) => el('td', {
    className, attrs: labelKey ? { 'data-label': t(labelKey) } : undefined,
  }, children);
  const desc = el('a', { className: 'work-link', text: item.description || t('worklist.noDescription'), attrs: { href } });
  return el('tr', { className: 'work-row', attrs: { 'data-id': item.id, 'data-light': item.light || 'NONE' } }, [
    selectable ? cell('col-select', [check]) : cell('col-select', []),
    cell('col-light', [lightDot(item.light)]),
    cell('col-status', [statusPill(item.status)]),
    cell('col-category', [item.categoryName || t('common.none')], 'worklist.col.category'),
    cell('col-description wrap', [desc, el('span', { className: 'work-id', text: `#${item.id}` })]),
    cell('col-point wrap', [item.pointName || t('common.none')], 'worklist.col.point'),
    cell('col-grid', [el('span', { className: 'cg-code', text: item.gridCode || '' })], 'worklist.col.grid'),
    cell('col-handler', [handlerText(item) || t('common.none')], 'worklist.col.handler'),
    cell('col-deadline', [deadlineNode(item.deadlineAt, formatDateTime)], 'worklist.col.deadline'),
    cell('col-flags', [flags(item)]),
  ]);
}

function renderTable() {
  clear(body);
  const selectable = bulkMoves().length > 0;
  document.getElementById('worklist-table').dataset.selectable = selectable ? 'true' : 'false';
  for (const item of state.items) body.append(row(item, selectable));
  document.getElementById('worklist-empty').hidden = state.items.length > 0;
  document.getElementById('worklist-table').hidden = state.items.length === 0;
  const reds = state.items.filter((i) => i.light === 'RED').length;
  const yellows = state.items.filter((i) => i.light === 'YELLOW').length;
  document.getElementById('worklist-summary').textContent = state.current
    ? t('worklist.summary', { n: state.items.length, red: reds, yellow: yellows })
    : '';
  renderBulk();
}

function renderBulk() {
  const moves = bulkMoves();
  const n = state.selected.size;
  bulkForm.hidden = moves.length === 0 || n === 0;
  document.getElementById('bulk-count').textContent = t('bulk.selected', { n });
  document.getElementById('bulk-dispatch').hidden = !moves.includes('dispatch');
  document.getElementById('bulk-department-field').hidden = !moves.includes('dispatch');
  document.getElementById('bulk-urge').hidden = !moves.includes('urge');
  const all = state.items.length > 0 && state.items.every((i) => state.selected.has(i.id));
  selectAll.checked = all;
  selectAll.indeterminate = n > 0 && !all;
}

function renderDepartments() {
  const select = document.getElementById('bulk-department');
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  select.options[0].textContent = t('dispatch.gridOwner');
  for (const d of state.departments) select.append(el('option', { text: `${departmentName(d)}`, attrs: { value: d.code } }));
  select.value = keep;
}

async function load() {
  if (state.loadCtl) state.loadCtl.abort();
  const ctl = new AbortController();
  state.loadCtl = ctl;
  panel.dataset.state = 'loading';
  try {
    const items = await api.worklist(state.current, LIMIT, ctl.signal);
    if (ctl.signal.aborted) return;
    state.items = Array.isArray(items) ? items : [];
    const ids = new Set(state.items.map((i) => i.id));
    for (const id of [...state.selected]) if (!ids.has(id)) state.selected.delete(id);
    renderTable();
    panel.dataset.state = 'ready';
    page.dataset.state = 'ready';
  } catch (err) {
    if (isAbort(err)) return;
    throw err;
  }
}

// ---- bulk moves ----

function showBulkResult(move, result) {
  clear(bulkResult);
  const ok = (result && result.succeeded) || [];
  const failed = (result && result.failed) || [];
  bulkResult.dataset.kind = failed.length ? 'error' : 'success';
  bulkResult.append(el('p', { className: 'bulk-result-head', text: t('bulk.result', { action: t(`bulk.${move}`), ok: ok.length, failed: failed.length }) }));
  if (failed.length) {
    const list = el('ul', { className: 'bulk-failures' });
    for (const f of failed) {
      list.append(el('li', {}, [
        el('a', { text: `#${f.id}`, attrs: { href: problemHref(f.id) } }),
        ` ${f.detail || t('error.http', { status: f.status })}`,
      ]));
    }
    bulkResult.append(list);
  }
  bulkResult.hidden = false;
}

async function runBulk(move) {
  const ids = [...state.selected];
  if (!ids.length) return;
  const note = document.getElementById('bulk-note').value.trim();
  const departmentCode = move === 'dispatch' ? document.getElementById('bulk-department').value : '';
  const bodyJson = { ids, note: note || null, departmentCode: departmentCode || null };
  await busy(bulkForm, async () => {
    try {
      const result = await api.bulk(move, bodyJson);
      showBulkResult(move, result);
      state.selected.clear();
      document.getElementById('bulk-note').value = '';
      await load();
    } catch (err) {
      clear(bulkResult);
      setMessage(bulkResult, describeError(err), 'error');
    }
  });
}

// ---- start ----

function render() {
  renderTabs();
  renderDepartments();
  if (state.current) renderTable();
}

async function main() {
  const config = await bootPage({ render });
  state.user = config && config.user;
  const [names, departments] = await Promise.all([api.worklists(), api.departments().catch(() => [])]);
  state.names = Array.isArray(names) ? names : [];
  state.departments = Array.isArray(departments) ? departments : [];
  state.departmentsByCode = new Map(state.departments.map((d) => [d.code, d]));
  const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
  state.current = state.names.includes(wanted) ? wanted : state.names[0] || null;
  render();
  if (!state.current) {
    setMessage(document.getElementById('page-message'), t('worklist.none'), 'info');
    document.getElementById('worklist-table').hidden = true;
    page.dataset.state = 'ready';
    return;
  }
  clearMessage(document.getElementById('page-message'));
  await load();
}

selectAll.addEventListener('change', () => {
  if (selectAll.checked) for (const i of state.items) state.selected.add(i.id);
  else state.selected.clear();
  for (const box of body.querySelectorAll('.row-select')) box.checked = selectAll.checked;
  renderBulk();
});
document.getElementById('bulk-clear').addEventListener('click', () => {
  state.selected.clear();
  for (const box of body.querySelectorAll('.row-select')) box.checked = false;
  renderBulk();
});
document.getElementById('bulk-dispatch').addEventListener('click', () => runBulk('dispatch'));
document.getElementById('bulk-urge').addEventListener('click', () => runBulk('urge'));
bulkForm.addEventListener('submit', (e) => e.preventDefault());
document.getElementById('worklist-refresh').addEventListener('click', () => {
  if (state.current) load().catch((err) => pageFailed(page, err));
});
window.addEventListener('hashchange', () => {
  const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
  if (state.names.includes(wanted)) selectList(wanted);
});

main().catch((err) => pageFailed(page, err));
