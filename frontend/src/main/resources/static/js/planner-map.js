// The planner's map: community boundaries and live grids (dashed; snapping targets, not editable), the draft's
// grids (selectable, editable through Leaflet-Geoman), a red fault overlay and a two-colour compare overlay.
// Geoman is driven through its API with our own buttons (its toolbar writes HTML; ours is translated and escaped).
import { el } from './dom.js';
import { t } from './i18n.js';
import { baseMapsFrom } from './basemaps.js';

const L = window.L;
const SNAP = { snappable: true, snapDistance: 20, allowSelfIntersection: false };
export const COMPARE_COLOURS = ['#1f5fbf', '#e07b00'];

function label(text) {
  return el('span', { text });
}

/**
 * host: the map element. handlers: onSelect(key, additive), onGeometryEdited(key, geometry),
 * onDrawn(shape, geometry), onMove(center, zoom).
 */
export function createPlannerMap(host, config, handlers) {
  const map = L.map(host, {
    minZoom: config.minZoom || 4,
    maxZoom: config.maxZoom || 19,
    attributionControl: false,
    doubleClickZoom: false, // a double click finishes nothing here and would zoom away while drawing
  });
  const base = baseMapsFrom(config).find((b) => b.id === 'offline');
  const baseLayer = base && base.create();
  if (baseLayer) baseLayer.addTo(map);
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
  if (config.bounds) map.fitBounds(config.bounds);

  for (const [name, z] of [['plBoundary', 410], ['plLive', 420], ['plDraft', 430], ['plCompare', 440], ['plFault', 450]]) {
    map.createPane(name).classList.add('pl-pane');
    map.getPane(name).dataset.pane = name;
    map.getPane(name).style.zIndex = String(z); // CSSOM, allowed by the CSP
  }

  // Geoman: snapping everywhere; only draft grids are editable (the others carry pmIgnore, snapIgnore: false).
  map.pm.setGlobalOptions({ ...SNAP, templineStyle: { color: '#b3261e' }, hintlineStyle: { color: '#b3261e', dashArray: '4 4' } });

  const boundary = L.geoJSON(null, {
    pane: 'plBoundary', pmIgnore: true, snapIgnore: false, interactive: false,
    style: { color: '#1d2a44', weight: 3, opacity: 0.9, fill: false },
  }).addTo(map);
  const live = L.geoJSON(null, {
    pane: 'plLive', pmIgnore: true, snapIgnore: false, interactive: false,
    style: { color: '#56627a', weight: 1.5, dashArray: '6 5', opacity: 0.9, fill: false },
  }).addTo(map);

  let selected = [];
  let editing = false;
  const layersByKey = new Map();
  const draft = L.geoJSON(null, {
    pane: 'plDraft',
    style: (f) => {
      const on = selected.includes(f.properties.key);
      const changed = f.properties.changed;
      return {
        color: on ? '#b3261e' : '#23683b', weight: on ? 3 : 2,
        fillColor: on ? '#f4824a' : (changed ? '#9bd3ae' : '#cfe8d6'), fillOpacity: on ? 0.35 : 0.25,
      };
    },
    onEachFeature(feature, layer) {
      const p = feature.properties;
      layersByKey.set(p.key, layer);
      layer.bindTooltip(label(`${p.code || ''} ${p.name || ''}`.trim()), { sticky: true });
      layer.on('click', (e) => handlers.onSelect(p.key, !!(e.originalEvent && (e.originalEvent.shiftKey || e.originalEvent.ctrlKey))));
      // toGeoJSON(false): full precision. Its default rounds to 6 decimals, and every vertex the grid shares with a
      // neighbour (stored with more) would no longer match it after a single drag.
      layer.on('pm:edit', () => handlers.onGeometryEdited(p.key, layer.toGeoJSON(false).geometry));
    },
  }).addTo(map);
  const faults = L.geoJSON(null, {
    pane: 'plFault', pmIgnore: true, snapIgnore: true, interactive: false,
    style: { color: '#d00000', weight: 3, fillColor: '#ff2a2a', fillOpacity: 0.45 },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { pane: 'plFault', radius: 10, color: '#d00000', weight: 3, pmIgnore: true, snapIgnore: true }),
  }).addTo(map);
  const compare = [0, 1].map((i) => L.geoJSON(null, {
    pane: 'plCompare', pmIgnore: true, snapIgnore: true, interactive: false,
    style: { color: COMPARE_COLOURS[i], weight: i ? 2 : 4, opacity: 0.85, dashArray: i ? '2 4' : null, fill: false },
  }));

  map.on('pm:create', (e) => {
    const geometry = e.layer.toGeoJSON(false).geometry; // snapped vertices keep the neighbours' exact coordinates
    map.removeLayer(e.layer);
    handlers.onDrawn(e.shape, geometry);
  });
  map.on('moveend', () => {
    const c = map.getCenter();
    handlers.onMove([c.lat, c.lng], map.getZoom());
  });

  function applyEditing() {
    for (const [key, layer] of layersByKey) {
      const on = editing && selected.includes(key);
      if (on && !layer.pm.enabled()) layer.pm.enable({ ...SNAP, removeVertexOn: 'contextmenu' });
      if (!on && layer.pm.enabled()) layer.pm.disable();
    }
  }

  return {
    map,
    setBoundary(features) {
      boundary.clearLayers();
      boundary.addData({ type: 'FeatureCollection', features });
    },
    setLive(fc) {
      live.clearLayers();
      if (fc) live.addData(fc);
    },
    setDraft(doc) {
      for (const layer of layersByKey.values()) if (layer.pm.enabled()) layer.pm.disable();
      layersByKey.clear();
      draft.clearLayers();
      if (doc) {
        const changed = new Set(doc.changedKeys || []);
        draft.addData({
          type: 'FeatureCollection',
          features: doc.features.map((f) => ({ ...f, properties: { ...f.properties, changed: changed.has(f.properties.key) } })),
        });
      }
      applyEditing();
    },
    setSelected(keys) {
      selected = keys.slice();
      draft.setStyle(draft.options.style);
      for (const key of selected) {
        const layer = layersByKey.get(key);
        if (layer) layer.bringToFront();
      }
      applyEditing();
    },
    setEditing(on) {
      editing = on;
      applyEditing();
    },
    layerOf: (key) => layersByKey.get(key),
    showFault(location) {
      faults.clearLayers();
      if (!location) return;
      faults.addData(location);
      const b = faults.getBounds();
      if (b.isValid()) map.fitBounds(b.pad(1.5), { maxZoom: 18 });
    },
    clearFaults: () => faults.clearLayers(),
    setCompare(collections) {
      compare.forEach((layer, i) => {
        layer.clearLayers();
        const fc = collections && collections[i];
        if (fc) {
          layer.addData(fc);
          layer.addTo(map);
        } else {
          map.removeLayer(layer);
        }
      });
    },
    fitTo(features) {
      const b = L.geoJSON({ type: 'FeatureCollection', features }).getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [20, 20] });
    },
    startDraw(shape) {
      map.pm.disableDraw();
      map.pm.enableDraw(shape, { ...SNAP });
    },
    finishDraw() {
      const shape = map.pm.Draw.getActiveShape();
      const drawer = shape && map.pm.Draw[shape];
      if (drawer && typeof drawer._finishShape === 'function') drawer._finishShape();
    },
    cancelDraw: () => map.pm.disableDraw(),
    drawing: () => map.pm.globalDrawModeEnabled(),
    setLang(lang) {
      try { map.pm.setLang(lang === 'en' ? 'en' : 'zh'); } catch (err) { console.error(err); }
    },
    legend(host) {
      host.replaceChildren(
        el('span', { className: 'pl-key pl-key-boundary', text: t('planner.legend.boundary') }),
        el('span', { className: 'pl-key pl-key-live', text: t('planner.legend.live') }),
        el('span', { className: 'pl-key pl-key-draft', text: t('planner.legend.draft') }),
        el('span', { className: 'pl-key pl-key-fault', text: t('planner.legend.fault') }),
      );
    },
  };
}
