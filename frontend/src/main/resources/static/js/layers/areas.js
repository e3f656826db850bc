// Administrative outlines (district → street → community) drawn as the offline
// base map: no fill, not clickable (clicks fall through to grids), names as
// permanent labels that appear only from a zoom where they stop overlapping.
import { el } from '../dom.js';

const L = window.L;

export const AREA_LEVELS = ['district', 'street', 'community'];

// Label visibility thresholds (zoom >= value). District has no label: the title bar names it.
const LABEL_MIN_ZOOM = { street: 12, community: 15 };

const STYLE = {
  district: { color: '#3b4a63', weight: 3, opacity: 0.9, fill: false },
  street: { color: '#56627a', weight: 2, opacity: 0.8, fill: false, dashArray: null },
  community: { color: '#7d8799', weight: 1, opacity: 0.7, fill: false, dashArray: '4 4' },
};

export function createAreasLayer(map, { labels = true } = {}) {
  map.createPane('cgAreas').classList.add('cg-pane-areas');
  const group = L.layerGroup();
  const byLevel = {};
  const byCode = new Map(); // code → {code, name, level, parentCode, bounds}

  for (const level of AREA_LEVELS) {
    byLevel[level] = L.geoJSON(null, {
      pane: 'cgAreas',
      interactive: false,
      style: () => STYLE[level],
      onEachFeature(feature, layer) {
        const props = feature.properties || {};
        if (props.code) {
          byCode.set(props.code, {
            code: props.code, name: props.name, level, parentCode: props.parentCode, bounds: layer.getBounds(),
          });
        }
        const name = props.name;
        if (!labels || !name || !(level in LABEL_MIN_ZOOM)) return;
        // DOM content: Leaflet would innerHTML a string.
        layer.bindTooltip(el('span', { text: name }), {
          permanent: true,
          direction: 'center',
          interactive: false,
          className: `cg-label cg-label-${level}`,
        });
      },
    });
    group.addLayer(byLevel[level]);
  }

  // Label visibility is pure CSS keyed on container classes: no re-render on zoom.
  const sync = () => {
    const z = map.getZoom();
    const box = map.getContainer().classList;
    for (const [level, minZoom] of Object.entries(LABEL_MIN_ZOOM)) {
      box.toggle(`cg-show-${level}-labels`, z >= minZoom);
    }
  };
  map.on('zoomend', sync);
  sync();

  return {
    layer: group,
    find: (code) => byCode.get(code) || null,
    setData(level, featureCollection) {
      const target = byLevel[level];
      target.clearLayers();
      target.addData(featureCollection);
      // Draw order: communities under streets under the district outline.
      for (const l of ['community', 'street', 'district']) {
        if (group.hasLayer(byLevel[l]) && map.hasLayer(byLevel[l])) byLevel[l].bringToFront();
      }
    },
  };
}
