// Entry point of the wall map (挂图作战): wires i18n, API, layers and controls.
import { initI18n, applyStatic, t, toggleLang, onLangChange } from './i18n.js';
import { api, bboxParam, isAbort } from './api.js';
import { debounce } from './dom.js';
import { BASEMAPS, DEFAULT_BASEMAP } from './basemaps.js';
import { createAreasLayer, AREA_LEVELS } from './layers/areas.js';
import { createGridsLayer } from './layers/grids.js';
import { createPointsLayer } from './layers/points.js';
import { createLegend } from './legend.js';
import { initAppBar } from './appbar.js';
import { createReportControl } from './report.js';
import { hasRole } from './roles.js';
import { initStatus, beginLoading, endLoading, showError, hideError, refreshError } from './status.js';

const L = window.L;
const MOVE_DEBOUNCE_MS = 250;
const mapEl = document.getElementById('map');

let app = null; // built once /api/map/config and /api/point-types have answered
let viewportCtl = null;
let areasLoaded = false;
let viewportLoaded = false;

function fail(err) {
  if (isAbort(err)) return;
  console.error(err);
  mapEl.dataset.state = 'error';
  showError(err);
}

function markReadyIfComplete() {
  if (areasLoaded && viewportLoaded) {
    mapEl.dataset.state = 'ready';
    hideError();
  }
}

function buildLayerControl() {
  const bases = {};
  // A single base map needs no radio button; the list grows when 天地图/XYZ arrive.
  if (BASEMAPS.length > 1) for (const b of BASEMAPS) bases[t(b.labelKey)] = app.baseLayers[b.id];
  // Leaflet writes these names with innerHTML: they come only from our i18n files, never from the API.
  const overlays = {
    [t('layers.grids')]: app.grids.layer,
    [t('layers.points')]: app.points.layer,
    [t('layers.areas')]: app.areas.layer,
  };
  if (app.layerControl) app.layerControl.remove();
  app.layerControl = L.control.layers(bases, overlays, { position: 'topright', collapsed: true }).addTo(app.map);
}

function createApp(config, pointTypes) {
  const map = L.map(mapEl, {
    minZoom: config.minZoom,
    maxZoom: config.maxZoom,
    zoomControl: true,
    attributionControl: false, // no third-party tiles to credit
    maxBounds: L.latLngBounds(config.bounds).pad(0.5),
    maxBoundsViscosity: 0.8,
  });
  map.fitBounds(config.bounds);

  const baseLayers = {};
  for (const b of BASEMAPS) baseLayers[b.id] = b.create();
  baseLayers[DEFAULT_BASEMAP].addTo(map);

  const types = Array.isArray(pointTypes) ? pointTypes : [];
  const typesByCode = new Map(types.map((ty) => [ty.code, ty]));

  const grids = createGridsLayer();
  const areas = createAreasLayer(map);
  const points = createPointsLayer(map, typesByCode, { canInspect: hasRole(config.user, 'INSPECTOR') });
  grids.layer.addTo(map);
  areas.layer.addTo(map);
  points.layer.addTo(map);

  const legend = createLegend({ startOpen: window.matchMedia('(min-width: 640px)').matches });
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
  legend.control.addTo(map);
  const report = createReportControl(map);
  report.control.addTo(map);

  document.getElementById('district-name').textContent = (config.district && config.district.name) || '';
  if (config.user) initAppBar(config.user);

  app = { map, config, types, baseLayers, grids, areas, points, legend, report, layerControl: null };
  buildLayerControl();
  map.on('moveend', debounce(() => loadViewport().catch(fail), MOVE_DEBOUNCE_MS));
}

async function loadAreas() {
  // Outlines are the base map: fetched once for the whole district, not per viewport.
  const bbox = bboxParam(L.latLngBounds(app.config.bounds));
  beginLoading();
  try {
    const collections = await Promise.all(AREA_LEVELS.map((level) => api.areas(level, bbox)));
    AREA_LEVELS.forEach((level, i) => app.areas.setData(level, collections[i]));
    areasLoaded = true;
    markReadyIfComplete();
  } finally {
    endLoading();
  }
}

async function loadViewport() {
  if (viewportCtl) viewportCtl.abort(); // an outdated viewport's answer is useless
  const ctl = new AbortController();
  viewportCtl = ctl;
  const { map } = app;
  const bbox = bboxParam(map.getBounds());
  const zoom = Math.round(map.getZoom());
  beginLoading();
  try {
    const [gridFc, pointFc] = await Promise.all([
      api.grids(bbox, zoom, ctl.signal),
      api.points(bbox, zoom, ctl.signal),
    ]);
    if (ctl.signal.aborted) return;
    app.grids.update(gridFc);
    app.points.update(pointFc);
    const present = app.points.presentTypeCodes();
    app.legend.setTypes(app.types.filter((ty) => present.has(ty.code)));
    mapEl.dataset.grids = String(app.grids.count());
    mapEl.dataset.points = String(app.points.count());
    viewportLoaded = true;
    markReadyIfComplete();
  } finally {
    endLoading();
  }
}

async function start() {
  if (!app) {
    const [config, pointTypes] = await Promise.all([api.mapConfig(), api.pointTypes()]);
    createApp(config, pointTypes);
  }
  const tasks = [loadViewport()];
  if (!areasLoaded) tasks.push(loadAreas());
  await Promise.all(tasks);
}

function onLanguageChanged() {
  applyStatic();
  refreshError();
  if (app && app.config.user) initAppBar(app.config.user); // role names in the tooltip
  if (!app) return;
  app.map.closePopup(); // popups are rebuilt in the new language when reopened
  app.legend.render();
  app.report.render();
  buildLayerControl();
}

async function main() {
  await initI18n();
  applyStatic();
  initStatus({ onRetry: () => start().catch(fail) });
  onLangChange(onLanguageChanged);
  document.getElementById('lang-toggle').addEventListener('click', () => {
    toggleLang().catch(fail);
  });
  await start();
}

main().catch(fail);
