// The leader dashboard's view as URL query parameters (same rules as view-state.js: unknown or malformed
// values are dropped, serialize() writes a canonical string): area, week or from–to, category, action,
// heatmap status, ranking level, map centre/zoom, language. Weeks start on Monday, days are Asia/Shanghai.

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const AREA_RE = /^\d{6}(?:\d{3}){0,3}$/;
const CODE_RE = /^[A-Za-z0-9_.-]{1,64}$/;
export const HEAT_STATUSES = ['all', 'open', 'closed'];
export const RANK_LEVELS = ['street', 'community', 'grid', 'department'];
export const BREAKDOWN_BY = ['category', 'action'];

export function emptyLeaderView() {
  return {
    area: '', week: '', from: '', to: '', category: '', action: '', status: 'all', rank: 'street', by: 'category',
    center: null, zoom: null, lang: '',
  };
}

const validDate = (v) => !!v && DATE_RE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export function parseLeaderView(search) {
  const p = new URLSearchParams(search);
  const v = emptyLeaderView();
  const area = p.get('area');
  if (area && AREA_RE.test(area)) v.area = area;
  const week = p.get('week');
  if (validDate(week)) v.week = mondayOf(week);
  const from = p.get('from');
  const to = p.get('to');
  if (validDate(from) && validDate(to) && from <= to) {
    v.from = from;
    v.to = to;
  }
  for (const key of ['category', 'action']) {
    const value = p.get(key);
    if (value && CODE_RE.test(value)) v[key] = value;
  }
  if (HEAT_STATUSES.includes(p.get('status'))) v.status = p.get('status');
  if (RANK_LEVELS.includes(p.get('rank'))) v.rank = p.get('rank');
  if (BREAKDOWN_BY.includes(p.get('by'))) v.by = p.get('by');
  const center = (p.get('center') || '').split(',').map(Number);
  const zoom = Number(p.get('zoom'));
  if (center.length === 2 && center.every(Number.isFinite) && p.get('zoom') && Number.isFinite(zoom)) {
    v.center = center;
    v.zoom = zoom;
  }
  const lang = p.get('lang');
  if (lang === 'en' || lang === 'zh-CN') v.lang = lang;
  return v;
}

export function serializeLeaderView(v) {
  const parts = [];
  const add = (k, value) => {
    if (value == null || value === '') return;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`);
  };
  add('area', v.area);
  if (v.from && v.to) {
    add('from', v.from);
    add('to', v.to);
  } else {
    add('week', v.week);
  }
  add('category', v.category);
  add('action', v.action);
  if (v.status !== 'all') add('status', v.status);
  if (v.rank !== 'street') add('rank', v.rank);
  if (v.by !== 'category') add('by', v.by);
  if (v.center && v.zoom != null) {
    add('center', `${v.center[0].toFixed(5)},${v.center[1].toFixed(5)}`);
    add('zoom', String(Math.round(v.zoom * 100) / 100));
  }
  add('lang', v.lang);
  return parts.join('&');
}

// ---- dates (date-only arithmetic in UTC, so no local time zone creeps in) ----

const toDate = (s) => new Date(`${s}T00:00:00Z`);
const fmt = (d) => d.toISOString().slice(0, 10);

export function addDays(s, n) {
  const d = toDate(s);
  d.setUTCDate(d.getUTCDate() + n);
  return fmt(d);
}

export function mondayOf(s) {
  const d = toDate(s);
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  return addDays(s, -dow);
}

/** Today in Asia/Shanghai as yyyy-mm-dd. */
export function todayInShanghai(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export const currentMonday = () => mondayOf(todayInShanghai());

/** The week a leader reviews by default: the last complete one (一周一考评 looks back on last week). */
export const lastCompleteMonday = () => addDays(currentMonday(), -7);

/** The period asked for: {from, to, week} — a custom range wins; else the week (default: last complete week). */
export function periodOf(v) {
  if (v.from && v.to) return { from: v.from, to: v.to, week: mondayOf(v.to), custom: true };
  const week = v.week || lastCompleteMonday();
  return { from: week, to: addDays(week, 6), week, custom: false };
}

/** The Mondays of the `count` weeks ending with `lastMonday`, oldest first. */
export function weeksEnding(lastMonday, count) {
  const out = [];
  for (let i = count - 1; i >= 0; i -= 1) out.push(addDays(lastMonday, -7 * i));
  return out;
}

/** Area level from a code's length: 6 district, 9 street, 12 community, 15 grid. */
export function levelOfCode(code) {
  return { 6: 'district', 9: 'street', 12: 'community', 15: 'grid' }[String(code || '').length] || null;
}
