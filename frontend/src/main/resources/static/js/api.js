// JSON API client. Errors are RFC 9457 problem+json; we surface `detail`.
// URLs are relative so the app also works behind a servlet context path.

export class ApiError extends Error {
  constructor({ status = 0, title = '', detail = '', network = false } = {}) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.network = network;
  }
}

export function isAbort(err) {
  return err && err.name === 'AbortError';
}

async function getJson(path, params, signal) {
  const url = new URL(path, document.baseURI);
  if (params) {
    // Hand-built so bbox keeps literal commas (URLSearchParams would send %2C).
    url.search = Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/g, ',')}`)
      .join('&');
  }
  let res;
  try {
    res = await fetch(url, {
      signal,
      headers: { Accept: 'application/json, application/geo+json, application/problem+json' },
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ network: true });
  }
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch { /* not JSON: status only */ }
    throw new ApiError({
      status: res.status,
      title: typeof problem.title === 'string' ? problem.title : '',
      detail: typeof problem.detail === 'string' ? problem.detail : '',
    });
  }
  return res.json();
}

/** Leaflet LatLngBounds → "minLon,minLat,maxLon,maxLat" (the API's bbox order). */
export function bboxParam(bounds) {
  const f = (n) => n.toFixed(6);
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(f).join(',');
}

export const api = {
  mapConfig: (signal) => getJson('api/map/config', null, signal),
  pointTypes: (signal) => getJson('api/point-types', null, signal),
  areas: (level, bbox, signal) => getJson('api/layers/areas', { level, bbox }, signal),
  grids: (bbox, zoom, signal) => getJson('api/layers/grids', { bbox, zoom }, signal),
  points: (bbox, zoom, signal) => getJson('api/layers/points', { bbox, zoom }, signal),
};
