// The planner's API client (api/planning/*). Draft writes answer the whole draft document with
// ETag "<version>"; every write sends If-Match with the version the page last saw. A 409 carries
// currentVersion (someone else edited) or conflicts (the live grids changed since the draft was made).
import { csrfToken, readProblem, loginUrl, ApiError, isAbort } from './api.js';

const enc = encodeURIComponent;

function url(path, params) {
  const u = new URL(path, document.baseURI);
  if (params) {
    u.search = Object.entries(params).filter(([, v]) => v != null && v !== '')
      .map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  }
  return u;
}

let redirecting = false;

async function send(method, path, { params, body, form, version, signal } = {}) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json' };
  const init = { method, headers, signal, credentials: 'same-origin' };
  if (method !== 'GET') {
    headers['X-XSRF-TOKEN'] = csrfToken();
    if (version != null) headers['If-Match'] = `"${version}"`;
    if (form) {
      init.body = form; // the browser writes the multipart Content-Type with its boundary
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(url(path, params), init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ network: true });
  }
  if (res.status === 401) {
    if (!redirecting) { redirecting = true; location.assign(loginUrl()); }
    return new Promise(() => {});
  }
  if (!res.ok) {
    let extra = {};
    try { extra = await res.clone().json(); } catch { /* not JSON */ }
    const err = await readProblem(res);
    if (extra && typeof extra === 'object') {
      if (Number.isFinite(extra.currentVersion)) err.currentVersion = extra.currentVersion;
      if (Array.isArray(extra.conflicts)) err.conflicts = extra.conflicts;
    }
    throw err;
  }
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

const base = 'api/planning';

export const planningApi = {
  drafts: (areaCode, status, signal) => send('GET', `${base}/drafts`, { params: { areaCode, status }, signal }),
  draft: (id, signal) => send('GET', `${base}/drafts/${enc(id)}`, { signal }),
  createDraft: (areaCode, name) => send('POST', `${base}/drafts`, { body: name ? { areaCode, name } : { areaCode } }),
  discard: (id, version) => send('DELETE', `${base}/drafts/${enc(id)}`, { version }),
  addGrid: (id, version, grid) => send('POST', `${base}/drafts/${enc(id)}/grids`, { version, body: grid }),
  updateGrid: (id, version, key, grid) => send('PUT', `${base}/drafts/${enc(id)}/grids/${enc(key)}`, { version, body: grid }),
  deleteGrid: (id, version, key) => send('DELETE', `${base}/drafts/${enc(id)}/grids/${enc(key)}`, { version }),
  split: (id, version, gridKey, line) => send('POST', `${base}/drafts/${enc(id)}/split`, { version, body: { gridKey, line } }),
  merge: (id, version, gridKeys) => send('POST', `${base}/drafts/${enc(id)}/merge`, { version, body: { gridKeys } }),
  importFile: (id, version, file, mode) => {
    const form = new FormData();
    form.append('file', file, file.name || 'grids');
    form.append('mode', mode);
    return send('POST', `${base}/drafts/${enc(id)}/import`, { version, form });
  },
  proposeCode: (id, communityCode) =>
    send('POST', `${base}/drafts/${enc(id)}/propose-code`, { body: communityCode ? { communityCode } : {} }),
  validation: (id, signal) => send('GET', `${base}/drafts/${enc(id)}/validation`, { signal }),
  fix: (id, version, faultIndex) => send('POST', `${base}/drafts/${enc(id)}/fix`, { version, body: { faultIndex } }),
  impact: (id, signal) => send('GET', `${base}/drafts/${enc(id)}/impact`, { signal }),
  publish: (id, version, effectiveFrom) =>
    send('POST', `${base}/drafts/${enc(id)}/publish`, { version, body: effectiveFrom ? { effectiveFrom } : {} }),
  history: (areaCode, signal) => send('GET', `${base}/history`, { params: { areaCode }, signal }),
  gridsAt: (areaCode, at, signal) => send('GET', `${base}/grids`, { params: { areaCode, at }, signal }),
  communities: (bbox, signal) => send('GET', 'api/layers/areas', { params: { level: 'community', bbox }, signal }),
  exportDraftUrl: (id, format) => url(`${base}/drafts/${enc(id)}/export`, { format }).href,
  exportLiveUrl: (areaCode, format) => url(`${base}/live/export`, { areaCode, format }).href,
};
