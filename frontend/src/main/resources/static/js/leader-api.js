// The leader dashboard's API calls (indicators, heatmap, ranking, campaign, evaluations import, bulletins).
// GETs and the JSON PUT go through api.js's request(); the multipart import keeps the problem body's
// row/column errors, which api.js folds into {field, message}.
import { request, csrfToken, loginUrl, ApiError, isAbort } from './api.js';

const enc = encodeURIComponent;
const get = (path, params, signal) => request('GET', path, { params, signal });

/** Only the filter parameters that are set. */
function filters(f) {
  const out = {};
  if (f && f.category) out.category = f.category;
  if (f && f.action) out.action = f.action;
  return out;
}

export const leaderApi = {
  indicators: (area, from, to, f, signal) => get('api/indicators', { area, from, to, ...filters(f) }, signal),
  trend: (area, weeks, to, f, signal) => get('api/indicators/trend', { area, weeks, to, ...filters(f) }, signal),
  breakdown: (area, from, to, by, f, signal) => get('api/indicators/breakdown', { area, from, to, by, ...filters(f) }, signal),
  heatmap: (params, signal) => get('api/heatmap', params, signal),
  hotspots: (params, signal) => get('api/heatmap/hotspots', { ...params, limit: 10 }, signal),
  rankings: (level, week, within, signal) => get('api/rankings', { level, week, within }, signal),
  weights: (signal) => get('api/rankings/weights', null, signal),
  saveWeights: (weights) => request('PUT', 'api/rankings/weights', { body: weights }),
  campaign: (signal) => get('api/campaign', null, signal),
  clearance: (level, within, signal) => get('api/campaign/clearance', { level, within }, signal),
};

/** The bulletin export of one week and area (a plain link: the browser downloads or opens it). */
export function bulletinHref(week, area, format) {
  return new URL(`api/bulletins/${enc(week)}?area=${enc(area)}&format=${enc(format)}`, document.baseURI).href;
}

/**
 * POST api/evaluations/import (multipart field "file") → {imported, batchId}. A failure throws an ApiError
 * whose `rows` holds the problem body's errors [{row, column, message}].
 */
export async function importEvaluations(file) {
  const form = new FormData();
  form.append('file', file, file.name || 'evaluations.csv');
  let res;
  try {
    res = await fetch(new URL('api/evaluations/import', document.baseURI), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json', 'X-XSRF-TOKEN': csrfToken() },
      body: form,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ network: true });
  }
  if (res.status === 401) {
    location.assign(loginUrl());
    return new Promise(() => {});
  }
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (res.ok) return body || {};
  const str = (v) => (typeof v === 'string' ? v : '');
  const err = new ApiError({
    status: res.status,
    type: str(body && body.type),
    title: str(body && body.title),
    detail: str(body && body.detail),
    parameter: str(body && body.parameter),
  });
  err.rows = Array.isArray(body && body.errors)
    ? body.errors.filter((e) => e && typeof e === 'object')
      .map((e) => ({ row: e.row == null ? '' : String(e.row), column: str(e.column) || str(e.field), message: str(e.message) }))
    : [];
  throw err;
}
