// The dashboard's view as URL query parameters: filters, metric, drilled area or centre/zoom, base map,
// problem layer and language. serialize() writes a canonical string (fixed key order, sorted lists) so
// the same view always gives the same URL and the same #map[data-view].

export const METRICS = ['open', 'overdue', 'closure', 'onTimeClosure', 'scoreRate'];
export const DEFAULT_METRIC = 'open';
export const FILTER_LISTS = ['pointType', 'action', 'category', 'status', 'light'];
export const FILTER_DATES = ['from', 'to'];
const LIST_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const AREA_RE = /^\d{6}(?:\d{3}){0,3}$/;

export function emptyFilters() {
  return { pointType: [], action: [], category: [], status: [], light: [], from: '', to: '' };
}

export function emptyView() {
  return {
    filters: emptyFilters(), metric: DEFAULT_METRIC, area: '', center: null, zoom: null, base: '', problems: false, lang: '',
  };
}

function list(value) {
  if (!value) return [];
  return [...new Set(String(value).split(',').map((s) => s.trim()).filter((s) => LIST_RE.test(s)))].sort();
}

/** Query string (with or without "?") → view. Unknown or malformed values are dropped. */
export function parseView(search) {
  const p = new URLSearchParams(search);
  const view = emptyView();
  for (const key of FILTER_LISTS) view.filters[key] = list(p.get(key));
  for (const key of FILTER_DATES) {
    const v = p.get(key);
    if (v && DATE_RE.test(v)) view.filters[key] = v;
  }
  const metric = p.get('metric');
  if (METRICS.includes(metric)) view.metric = metric;
  const area = p.get('area');
  if (area && AREA_RE.test(area)) view.area = area;
  const center = (p.get('center') || '').split(',').map(Number);
  const zoom = Number(p.get('zoom'));
  if (!view.area && center.length === 2 && center.every(Number.isFinite) && Number.isFinite(zoom) && p.get('zoom') !== '') {
    view.center = [center[0], center[1]];
    view.zoom = zoom;
  }
  const base = p.get('base');
  if (base && LIST_RE.test(base)) view.base = base;
  view.problems = p.get('problems') === '1';
  const lang = p.get('lang');
  if (lang === 'en' || lang === 'zh-CN') view.lang = lang;
  return view;
}

/** View → canonical query string without "?". */
export function serializeView(view) {
  const parts = [];
  const add = (k, v) => {
    if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) return;
    const text = Array.isArray(v) ? [...v].sort().join(',') : String(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
  };
  for (const key of FILTER_LISTS) add(key, view.filters[key]);
  for (const key of FILTER_DATES) add(key, view.filters[key]);
  if (view.metric && view.metric !== DEFAULT_METRIC) add('metric', view.metric);
  if (view.area) {
    add('area', view.area);
  } else if (view.center && view.zoom != null) {
    add('center', `${view.center[0].toFixed(5)},${view.center[1].toFixed(5)}`);
    add('zoom', String(Math.round(view.zoom * 100) / 100));
  }
  if (view.base) add('base', view.base);
  if (view.problems) add('problems', '1');
  add('lang', view.lang);
  return parts.join('&');
}

/** The filters as API query parameters (comma lists; empty ones left out). */
export function filterParams(filters) {
  const params = {};
  for (const key of FILTER_LISTS) if (filters[key] && filters[key].length) params[key] = filters[key].join(',');
  for (const key of FILTER_DATES) if (filters[key]) params[key] = filters[key];
  return params;
}

export function activeFilterCount(filters) {
  return FILTER_LISTS.reduce((n, k) => n + (filters[k].length ? 1 : 0), 0)
    + FILTER_DATES.reduce((n, k) => n + (filters[k] ? 1 : 0), 0);
}

/** Area level from a code's length: 6 district, 9 street, 12 community, 15 grid. */
export function levelOfCode(code) {
  return { 6: 'district', 9: 'street', 12: 'community', 15: 'grid' }[String(code || '').length] || null;
}

export const LEVELS = ['district', 'street', 'community', 'grid'];

export function childLevel(level) {
  const i = LEVELS.indexOf(level);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

/** The level shown when nothing is drilled: district < 13 ≤ street < 14 ≤ community < 15 ≤ grid. */
export function levelForZoom(zoom) {
  if (zoom < 13) return 'district';
  if (zoom < 14) return 'street';
  if (zoom < 15) return 'community';
  return 'grid';
}
