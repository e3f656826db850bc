// Base maps. Offline (no tiles at all, so not one request leaves the app) is the default because many
// government intranets have no internet; api/map/config lists further ones when configured:
// 天地图 vec/img (+ their cva/cia label layers) and any XYZ template. A base map with crs "GCJ02"
// (高德/腾讯 tiles) makes the dashboard shift every overlay WGS84 → GCJ-02 (see gcj02.js).

const L = window.L;

/** No tiles: only paints the map container background (see .cg-basemap-offline in app.css). */
const OfflineBase = L.Layer.extend({
  onAdd(map) {
    map.getContainer().classList.add('cg-basemap-offline');
    return this;
  },
  onRemove(map) {
    map.getContainer().classList.remove('cg-basemap-offline');
    return this;
  },
});

export const DEFAULT_BASEMAP = 'offline';
const OFFLINE = { id: 'offline', nameZh: '离线底图', nameEn: 'Offline (no tiles)', crs: 'WGS84' };

function isHttpTemplate(value) {
  return typeof value === 'string' && /^https?:\/\//i.test(value) && value.includes('{z}');
}

function subdomainsOf(value) {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value) return value.includes(',') ? value.split(',') : value;
  return 'abc';
}

/** A Leaflet layer for one base-map entry, or null when its template is unusable. */
function createLayer(entry, maxZoom) {
  if (entry.id === 'offline') return new OfflineBase();
  if (!isHttpTemplate(entry.urlTemplate)) return null;
  const opts = {
    subdomains: subdomainsOf(entry.subdomains), maxZoom, maxNativeZoom: 18, crossOrigin: false, referrerPolicy: 'no-referrer',
  };
  const base = L.tileLayer(entry.urlTemplate, opts);
  if (!isHttpTemplate(entry.labelUrlTemplate)) return base;
  return L.layerGroup([base, L.tileLayer(entry.labelUrlTemplate, { ...opts, pane: 'cgLabels' })]);
}

/**
 * config.basemaps (may be missing on an older server) → [{id, nameZh, nameEn, crs, attribution, create()}],
 * the offline entry always first.
 */
export function baseMapsFrom(config) {
  const list = Array.isArray(config && config.basemaps) ? config.basemaps.filter((b) => b && typeof b.id === 'string') : [];
  const out = [{ ...OFFLINE, ...(list.find((b) => b.id === 'offline') || {}) }];
  for (const b of list) {
    if (b.id === 'offline' || !isHttpTemplate(b.urlTemplate)) continue;
    out.push({ ...b, crs: b.crs === 'GCJ02' ? 'GCJ02' : 'WGS84' });
  }
  const maxZoom = (config && config.maxZoom) || 19;
  return out.map((b) => ({ ...b, create: () => createLayer(b, maxZoom) }));
}
