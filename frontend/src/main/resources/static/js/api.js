// JSON API client. Errors are RFC 9457 problem+json; we surface `detail` and the fields it names.
// URLs are relative so the app also works behind a servlet context path.
// Writes carry the CSRF token (XSRF-TOKEN cookie → X-XSRF-TOKEN header); a 401 goes to the sign-in page.

export class ApiError extends Error {
  constructor({
    status = 0, type = '', title = '', detail = '', parameter = '', errors = [], network = false, currentStatus = '', allowedActions = [],
  } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.parameter = parameter;
    this.errors = errors; // [{field, message}]
    this.network = network;
    this.currentStatus = currentStatus; // on 409: the state someone else moved the object to
    this.allowedActions = allowedActions;
  }
}

export function isAbort(err) {
  return err && err.name === 'AbortError';
}

/** Value of a cookie of this origin, or '' (the CSRF cookie is deliberately readable by scripts). */
export function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try { return decodeURIComponent(part.slice(eq + 1).trim()); } catch { return part.slice(eq + 1).trim(); }
    }
  }
  return '';
}

export function csrfToken() {
  return readCookie('XSRF-TOKEN');
}

/** Put the current CSRF token into a form's hidden `_csrf` field (for real form posts: login, logout). */
export function fillCsrfField(form) {
  const field = form.elements.namedItem('_csrf');
  const token = csrfToken();
  if (field) field.value = token;
  return token;
}

export function loginUrl() {
  return new URL('login.html', document.baseURI).href;
}

let redirecting = false;

/** Session gone: leave for the sign-in page; the caller's promise never settles, so no error flashes up. */
function toLogin() {
  if (!redirecting) {
    redirecting = true;
    location.assign(loginUrl());
  }
  return new Promise(() => {});
}

function buildUrl(path, params) {
  const url = new URL(path, document.baseURI);
  if (params) {
    // Hand-built so bbox keeps literal commas (URLSearchParams would send %2C).
    url.search = Object.entries(params)
      .filter(([, v]) => v != null && v !== '')
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/g, ',')}`)
      .join('&');
  }
  return url;
}

export async function readProblem(res) {
  let problem = {};
  try { problem = await res.json(); } catch { /* not JSON: status only */ }
  if (!problem || typeof problem !== 'object') problem = {};
  const str = (v) => (typeof v === 'string' ? v : '');
  const errors = Array.isArray(problem.errors)
    ? problem.errors
      .filter((e) => e && typeof e === 'object')
      .map((e) => ({ field: str(e.field), message: str(e.message) }))
    : [];
  return new ApiError({
    status: res.status,
    type: str(problem.type),
    title: str(problem.title),
    detail: str(problem.detail),
    parameter: str(problem.parameter),
    errors,
    currentStatus: str(problem.currentStatus),
    allowedActions: Array.isArray(problem.allowedActions) ? problem.allowedActions.filter((a) => typeof a === 'string') : [],
  });
}

/**
 * request('POST', 'api/me/tokens', {body: {...}}) → parsed JSON, or null for 204/empty answers.
 * GETs are plain; every other method sends JSON with the CSRF header.
 */
export async function request(method, path, { params, body, signal, headers: extra } = {}) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json', ...(extra || {}) };
  const init = { method, signal, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    headers['X-XSRF-TOKEN'] = csrfToken();
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  return send(buildUrl(path, params), init);
}

/**
 * Upload one photo as multipart/form-data (field "file"). The browser writes the Content-Type with its
 * boundary itself; we only add the CSRF header. → {id, contentType, width, height, takenAt, lon, lat, url, thumbnailUrl}
 */
export function uploadPhoto(file, signal) {
  const form = new FormData();
  form.append('file', file, file.name || 'photo.jpg');
  const init = {
    method: 'POST',
    signal,
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json', 'X-XSRF-TOKEN': csrfToken() },
    body: form,
  };
  return send(buildUrl('api/photos'), init);
}

async function send(url, init) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ network: true });
  }
  if (res.status === 401) return toLogin();
  if (!res.ok) throw await readProblem(res);
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

function getJson(path, params, signal) {
  return request('GET', path, { params, signal });
}

/** Leaflet LatLngBounds → "minLon,minLat,maxLon,maxLat" (the API's bbox order). */
export function bboxParam(bounds) {
  const f = (n) => n.toFixed(6);
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(f).join(',');
}

const enc = encodeURIComponent;

export const api = {
  mapConfig: (signal) => getJson('api/map/config', null, signal),
  pointTypes: (signal) => getJson('api/point-types', null, signal),
  areas: (level, bbox, signal) => getJson('api/layers/areas', { level, bbox }, signal),
  grids: (bbox, zoom, signal, filters) => getJson('api/layers/grids', { bbox, zoom, ...(filters || {}) }, signal),
  points: (bbox, zoom, signal, filters) => getJson('api/layers/points', { bbox, zoom, ...(filters || {}) }, signal),
  problemsLayer: (bbox, zoom, signal, filters) => getJson('api/layers/problems', { bbox, zoom, ...(filters || {}) }, signal),
  areaStats: (level, bbox, metric, signal, filters) =>
    getJson('api/layers/area-stats', { level, bbox, metric, ...(filters || {}) }, signal),
  areaSummary: (code, signal, filters) => getJson(`api/areas/${enc(code)}/summary`, filters || null, signal),
  search: (q, signal) => getJson('api/search', { q }, signal),

  // the signed-in user's own account
  me: (signal) => getJson('api/me', null, signal),
  changePassword: (currentPassword, newPassword) =>
    request('POST', 'api/me/password', { body: { currentPassword, newPassword } }),
  tokens: (signal) => getJson('api/me/tokens', null, signal),
  createToken: (name, expiresInDays) =>
    request('POST', 'api/me/tokens', { body: expiresInDays ? { name, expiresInDays } : { name } }),
  revokeToken: (id) => request('DELETE', `api/me/tokens/${enc(id)}`),

  // directories
  areaDirectory: (signal) => getJson('api/areas', null, signal),
  departments: (signal) => getJson('api/departments', null, signal),

  // administration (ADMIN) and audit (ADMIN, LEADER)
  users: (filter, signal) => getJson('api/admin/users', filter, signal),
  createUser: (user) => request('POST', 'api/admin/users', { body: user }),
  updateUser: (id, user) => request('PUT', `api/admin/users/${enc(id)}`, { body: user }),
  resetPassword: (id, newPassword) => request('POST', `api/admin/users/${enc(id)}/password`, { body: { newPassword } }),
  audit: (filter, signal) => getJson('api/audit', filter, signal),

  // photos (upload: uploadPhoto above)
  photoInfo: (id, signal) => getJson(`api/photos/${enc(id)}/info`, null, signal),

  // reference data
  categories: (signal) => getJson('api/problem-categories', null, signal),

  // measurement points (directory)
  searchPoints: (params, signal) => getJson('api/points', params, signal),
  point: (id, signal) => getJson(`api/points/${enc(id)}`, null, signal),

  // inspections (督查)
  startInspection: (body) => request('POST', 'api/inspections', { body }),
  inspection: (id, signal) => getJson(`api/inspections/${enc(id)}`, null, signal),
  saveResults: (id, version, results) => request('PUT', `api/inspections/${enc(id)}/results`, { body: { version, results } }),
  submitInspection: (id, version) => request('POST', `api/inspections/${enc(id)}/submit`, { body: { version } }),
  coverage: (days, limit, signal) => getJson('api/inspections/coverage', { days, limit }, signal),
  checklist: (typeCode, signal) => getJson(`api/checklists/${enc(typeCode)}`, null, signal),

  // problems and the rectification loop (整改闭环)
  problem: (id, signal) => getJson(`api/problems/${enc(id)}`, null, signal),
  reportProblem: (body) => request('POST', 'api/problems', { body }),
  problemAction: (id, action, body, idempotencyKey) =>
    request('POST', `api/problems/${enc(id)}/actions/${enc(action)}`, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
  bulk: (action, body) => request('POST', `api/problems/bulk/${enc(action)}`, { body }),
  worklists: (signal) => getJson('api/worklists', null, signal),
  worklist: (name, limit, signal) => getJson(`api/worklists/${enc(name)}`, { limit }, signal),
};
