// Base-map registry. Offline (no tiles at all) is the default because many
// government intranets have no internet; 天地图 / XYZ entries can be added here later
// as further { id, labelKey, create } items without touching the rest of the app.

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

export const BASEMAPS = [
  { id: 'offline', labelKey: 'basemap.offline', create: () => new OfflineBase() },
];

export const DEFAULT_BASEMAP = 'offline';
