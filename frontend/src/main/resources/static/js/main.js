// Entry point of the dashboard (挂图作战): area status by level with drill-down, grids, points and
// problems, filters and view in the URL, side panel, search, base maps and print.
import { initI18n, applyStatic, t, getLang, onLangChange, bindLangToggle } from './i18n.js';
import { api, isAbort } from './api.js';
import { el, debounce } from './dom.js';
import { baseMapsFrom, DEFAULT_BASEMAP } from './basemaps.js';
import { createAreasLayer, AREA_LEVELS } from './layers/areas.js';
import { createAreaStatsLayer } from './layers/area-stats.js';
import { createGridsLayer } from './layers/grids.js';
import { createPointsLayer, pointPopup } from './layers/points.js';
import { createProblemsLayer } from './layers/problems.js';
import { createLegend } from './legend.js';
import { createSidePanel } from './side-panel.js';
import { createFilters } from './filters.js';
import { createSearch } from './search.js';
import { createToolsControl, createBaseMapSwitcher, createAttribution } from './map-tools.js';
import { wgsToGcj, gcjToWgs, transformGeoJson } from './gcj02.js';
import {
  parseView, serializeView, filterParams, METRICS, levelOfCode, childLevel, levelForZoom,
} from './view-state.js';
import { initAppBar, showDistrict } from './appbar.js';
import { createReportControl } from './report.js';
import { hasRole } from './roles.js';
import { initStatus, beginLoading, endLoading, showError, hideError, refreshError } from './status.js';

const L = window.L;
const MOVE_DEBOUNCE_MS = 250;
const mapEl = document.getElementById('map');

let app = null; // built once api/map/config, api/point-types and api/problem-categories have answered
const view = parseView(location.search); // the state being shown; written back to the URL
let drilled = ''; // area code drilled into ('' = level follows the zoom)
let restoring = true; // while the URL's view is applied, map moves do not rewrite it
let loadCtl = null;
let lastKey = '';
let outlinesRaw = null;

function fail(err) {
  if (isAbort(err)) return;
  console.error(err);
  mapEl.dataset.state = 'error';
  showError(err);
}

// ---- coordinates: the server speaks WGS84; a GCJ-02 base map shifts what is drawn ----
const shifted = () => !!(app && app.baseMap && app.baseMap.crs === 'GCJ02');
const toDisplay = (fc) => (shifted() ? transformGeoJson(fc, wgsToGcj) : fc);
function latLngToWgs(latlng) {
  if (!shifted()) return latlng;
  const [lon, lat] = gcjToWgs(latlng.lng, latlng.lat);
  return L.latLng(lat, lon);
}
function latLngToDisplay(lat, lon) {
  if (!shifted()) return L.latLng(lat, lon);
  const [x, y] = wgsToGcj(lon, lat);
  return L.latLng(y, x);
}
function wgsBbox(bounds) {
  const sw = latLngToWgs(bounds.getSouthWest());
  const ne = latLngToWgs(bounds.getNorthEast());
  return [sw.lng, sw.lat, ne.lng, ne.lat].map((n) => n.toFixed(6)).join(',');
}
/** [minLon, minLat, maxLon, maxLat] (WGS84) → display bounds. */
function displayBounds(bbox) {
  return L.latLngBounds(latLngToDisplay(bbox[1], bbox[0]), latLngToDisplay(bbox[3], bbox[2]));
}
const homeBounds = () => L.latLngBounds(
  latLngToDisplay(app.config.bounds[0][0], app.config.bounds[0][1]),
  latLngToDisplay(app.config.bounds[1][0], app.config.bounds[1][1]),
);

// ---- URL ----
function writeUrl() {
  if (!app || restoring) return;
  view.area = drilled;
  if (!drilled) {
    const c = latLngToWgs(app.map.getCenter());
    view.center = [c.lat, c.lng];
    view.zoom = app.map.getZoom();
  } else {
    view.center = null;
    view.zoom = null;
  }
  view.lang = getLang();
  const query = serializeView(view);
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  mapEl.dataset.view = query;
}

// ---- levels, drill-down, breadcrumb ----
function currentLevel() {
  if (drilled) return childLevel(levelOfCode(drilled)) || 'grid';
  return levelForZoom(app.map.getZoom());
}

function areaName(code) {
  const found = app.areas.find(code);
  if (found && found.name) return found.name;
  const feature = app.stats.features().find((f) => f.properties && f.properties.code === code);
  return (feature && feature.properties.name) || code;
}

function renderBreadcrumb() {
  const list = el('ol', { className: 'cg-crumbs' });
  const rootCode = (app.config.district && app.config.district.code) || '';
  const crumb = (text, code, isCurrent) => {
    const item = el('li', { attrs: { 'data-code': code || null } });
    if (isCurrent) {
      item.append(el('span', { text, attrs: { 'aria-current': 'location' } }));
    } else {
      const b = el('button', { className: 'cg-crumb', text, attrs: { type: 'button' } });
      b.addEventListener('click', () => (code && code !== rootCode ? drillTo(code) : undrill()));
      item.append(b);
    }
    list.append(item);
  };
  crumb((app.config.district && app.config.district.name) || t('level.district'), rootCode, !drilled);
  if (drilled) {
    const chain = [];
    for (let len = 9; len <= drilled.length; len += 3) chain.push(drilled.slice(0, len));
    chain.forEach((code, i) => crumb(areaName(code), code, i === chain.length - 1));
  }
  list.append(el('li', { className: 'cg-crumb-level', attrs: { 'data-level': currentLevel() } }, [
    el('span', { text: t(drilled ? 'breadcrumb.children' : 'breadcrumb.byZoom', { level: t(`level.${currentLevel()}`) }) }),
  ]));
  app.breadcrumb.replaceChildren(list);
  app.breadcrumb.setAttribute('aria-label', t('breadcrumb.label'));
  app.breadcrumb.dataset.area = drilled;
}

function fitArea(code, bounds) {
  const b = bounds || (app.areas.find(code) || {}).bounds;
  if (b && b.isValid()) app.map.fitBounds(b, { padding: [16, 16], maxZoom: 18 });
}

function drillTo(code, bounds) {
  if (levelOfCode(code) === 'grid') code = code.slice(0, 12);
  drilled = code;
  fitArea(code, bounds);
  renderBreadcrumb();
  refresh();
  app.panel.showArea(code, { name: areaName(code), level: levelOfCode(code), filters: filterParams(view.filters) });
  app.stats.select(code);
}

function undrill() {
  drilled = '';
  app.panel.hide();
  app.map.fitBounds(homeBounds());
  renderBreadcrumb();
  refresh();
}

function onAreaClick(props, bounds) {
  if (props.level === 'grid' || levelOfCode(props.code) === 'grid') {
    app.stats.select(props.code);
    app.panel.showArea(props.code, { name: props.name, level: 'grid', filters: filterParams(view.filters) });
    return;
  }
  drillTo(props.code, bounds);
}

function openPoint(props, type) {
  app.panel.showPoint(props, type, (p, ty) => pointPopup(p, ty, { canInspect: hasRole(app.config.user, 'INSPECTOR') }));
}

async function onSearchChoose(r) {
  const bbox = Array.isArray(r.bbox) && r.bbox.length === 4 && r.bbox.every(Number.isFinite) ? displayBounds(r.bbox) : null;
  if (r.kind === 'POINT') {
    if (bbox) app.map.fitBounds(bbox, { maxZoom: 17, padding: [40, 40] });
    const detail = await api.point(r.id);
    const props = { ...detail, openProblems: Array.isArray(detail.openProblems) ? detail.openProblems.length : 0 };
    openPoint(props, app.points.typeOf(props));
    return;
  }
  if (r.kind === 'GRID') {
    drilled = String(r.code).slice(0, 12);
    if (bbox) app.map.fitBounds(bbox, { maxZoom: 17, padding: [40, 40] });
    renderBreadcrumb();
    refresh();
    app.stats.select(r.code);
    app.panel.showArea(r.code, { name: r.name, level: 'grid', filters: filterParams(view.filters) });
    return;
  }
  drillTo(r.code, bbox);
}

// ---- loading ----
function markReady() {
  if (mapEl.dataset.state !== 'ready') mapEl.dataset.state = 'ready';
  hideError();
}

function statsRequest() {
  const level = currentLevel();
  if (drilled) {
    const found = app.areas.find(drilled);
    const bounds = found ? found.bounds : app.map.getBounds();
    return { level, bbox: wgsBbox(bounds), keep: (p) => p.parentCode === drilled || String(p.code || '').startsWith(drilled) && p.code !== drilled };
  }
  return { level, bbox: wgsBbox(app.map.getBounds()), keep: null };
}

async function loadLayers(force = false) {
  const { map } = app;
  const zoom = Math.round(map.getZoom());
  const bbox = wgsBbox(map.getBounds());
  const filters = filterParams(view.filters);
  const stats = statsRequest();
  const key = JSON.stringify([bbox, zoom, filters, view.metric, drilled, view.problems, stats.bbox, stats.level, app.baseMap.id]);
  if (!force && key === lastKey) return;
  lastKey = key;
  if (loadCtl) loadCtl.abort(); // an outdated view's answer is useless
  const ctl = new AbortController();
  loadCtl = ctl;
  const { signal } = ctl;
  beginLoading();
  try {
    const statsTask = api.areaStats(stats.level, stats.bbox, view.metric, signal, filters).then((fc) => ({ fc }), (err) => {
      if (isAbort(err)) throw err;
      return { err };
    });
    const problemsTask = view.problems
      ? api.problemsLayer(bbox, zoom, signal, filters).then((fc) => ({ fc }), (err) => {
        if (isAbort(err)) throw err;
        return { err };
      })
      : Promise.resolve(null);
    const [gridFc, pointFc, statsAns, problemsAns] = await Promise.all([
      api.grids(bbox, zoom, signal, filters),
      api.points(bbox, zoom, signal, filters),
      statsTask,
      problemsTask,
    ]);
    if (signal.aborted) return;
    app.grids.update(toDisplay(gridFc));
    app.points.update(toDisplay(pointFc));
    const present = app.points.presentTypeCodes();
    app.legend.setTypes(app.types.filter((ty) => present.has(ty.code)));
    mapEl.dataset.grids = String(app.grids.count());
    mapEl.dataset.points = String(app.points.count());

    if (statsAns && statsAns.fc) {
      app.stats.update(toDisplay(statsAns.fc), { metric: view.metric, keep: stats.keep });
      mapEl.dataset.areasState = 'ready';
    } else {
      app.stats.clear();
      mapEl.dataset.areasState = 'error';
      console.warn('area-stats unavailable', statsAns && statsAns.err);
    }
    app.stats.select(app.panel.isOpen() && app.panel.current() && app.panel.current().kind === 'area' ? app.panel.current().code : '');
    const feats = app.stats.features();
    mapEl.dataset.areas = String(feats.length);
    mapEl.dataset.level = stats.level;
    mapEl.dataset.areaOpen = String(feats.reduce((n, f) => n + (Number(f.properties && f.properties.open) || 0), 0));
    app.legend.setStats(view.metric, stats.level, app.stats.legend());

    if (problemsAns && problemsAns.fc) {
      app.problems.update(toDisplay(problemsAns.fc));
      mapEl.dataset.problems = String(app.problems.count());
      mapEl.dataset.problemsState = 'ready';
    } else {
      app.problems.clear();
      mapEl.dataset.problems = '0';
      mapEl.dataset.problemsState = problemsAns && problemsAns.err ? 'error' : 'off';
    }
    renderBreadcrumb();
    markReady();
  } finally {
    endLoading();
  }
}

const refresh = (force) => loadLayers(force).catch(fail);

async function loadOutlines() {
  const bbox = wgsBbox(homeBounds());
  outlinesRaw = await Promise.all(AREA_LEVELS.map((level) => api.areas(level, bbox)));
  drawOutlines();
}

function drawOutlines() {
  if (!outlinesRaw) return;
  AREA_LEVELS.forEach((level, i) => app.areas.setData(level, toDisplay(outlinesRaw[i])));
}

// ---- building the page ----
function buildLayout() {
  const main = mapEl.parentElement;
  main.classList.add('cg-dashboard');
  const stage = el('div', { className: 'cg-stage', attrs: { id: 'stage' } });
  const breadcrumb = el('nav', { className: 'cg-breadcrumb', attrs: { id: 'breadcrumb' } });
  const metricSelect = el('select', { attrs: { id: 'metric-select' } });
  const metricCaption = el('span', { className: 'cg-metric-caption' });
  const tools = el('div', { className: 'cg-dashbar-tools' }, [
    el('label', { className: 'cg-metric', attrs: { for: 'metric-select' } }, [metricCaption, metricSelect]),
  ]);
  const dashbar = el('div', { className: 'cg-dashbar', attrs: { id: 'dashbar' } }, [breadcrumb, tools]);
  const printHeader = el('div', { className: 'cg-print-header', attrs: { id: 'print-header', 'aria-hidden': 'true' } });
  main.prepend(dashbar);
  dashbar.after(stage);
  stage.append(printHeader, mapEl);
  for (const id of ['loading', 'error']) {
    const node = document.getElementById(id);
    if (node) stage.append(node);
  }
  return { main, stage, breadcrumb, metricSelect, metricCaption, tools, printHeader };
}

function renderMetricSelect() {
  app.layout.metricCaption.textContent = t('metric.label');
  app.layout.metricSelect.replaceChildren(...METRICS.map((m) => el('option', { text: t(`metric.${m}`), attrs: { value: m } })));
  app.layout.metricSelect.value = view.metric;
}

function buildLayerControl() {
  // Leaflet writes these names with innerHTML: they come only from our i18n files, never from the API.
  const overlays = {
    [t('layers.stats')]: app.stats.layer,
    [t('layers.grids')]: app.grids.layer,
    [t('layers.areas')]: app.areas.layer,
    [t('layers.points')]: app.points.layer,
    [t('layers.problems')]: app.problems.layer,
  };
  if (app.layerControl) app.layerControl.remove();
  app.layerControl = L.control.layers({}, overlays, { position: 'topright', collapsed: true }).addTo(app.map);
  const box = app.layerControl.getContainer();
  box.id = 'layer-control';
  box.querySelector('.leaflet-control-layers-toggle').setAttribute('aria-label', t('layers.title'));
  box.querySelector('.leaflet-control-layers-toggle').title = t('layers.title');
}

function setBaseMap(id, { reload = true } = {}) {
  const next = app.baseMaps.find((b) => b.id === id) || app.baseMaps[0];
  const crsChanged = !app.baseMap || (app.baseMap.crs === 'GCJ02') !== (next.crs === 'GCJ02');
  const center = app.baseMap ? latLngToWgs(app.map.getCenter()) : null;
  if (app.baseLayer) app.baseLayer.remove();
  app.baseMap = next;
  app.baseLayer = next.create() || null;
  if (app.baseLayer) app.baseLayer.addTo(app.map);
  app.attribution.set(next.attribution || '');
  mapEl.dataset.basemap = next.id;
  view.base = next.id === DEFAULT_BASEMAP ? '' : next.id;
  app.baseSwitcher.set(next.id);
  if (crsChanged && reload) {
    drawOutlines();
    if (center) app.map.setView(latLngToDisplay(center.lat, center.lng), app.map.getZoom(), { animate: false });
    refresh(true);
  }
  writeUrl();
}

function printView() {
  const { printHeader } = app.layout;
  const where = drilled ? areaName(drilled) : (app.config.district && app.config.district.name) || '';
  printHeader.replaceChildren(
    el('h1', { text: `${t('print.title')} · ${where}` }),
    el('p', {
      text: t('print.subtitle', {
        metric: t(`metric.${view.metric}`),
        level: t(`level.${currentLevel()}`),
        date: new Intl.DateTimeFormat(getLang(), { dateStyle: 'long', timeStyle: 'short' }).format(new Date()),
      }),
    }),
  );
  const legend = document.getElementById('legend');
  if (legend) legend.open = true;
  document.body.classList.add('cg-printing');
  mapEl.dataset.printed = String(Date.now());
  setTimeout(() => window.print(), 50);
}

function createApp(config, pointTypes, categories) {
  const layout = buildLayout();
  const map = L.map(mapEl, {
    minZoom: config.minZoom,
    maxZoom: config.maxZoom,
    zoomControl: true,
    attributionControl: false, // third-party credits go through our own text control
    maxBounds: L.latLngBounds(config.bounds).pad(0.5),
    maxBoundsViscosity: 0.8,
  });
  map.createPane('cgLabels').classList.add('cg-pane-labels');

  const types = Array.isArray(pointTypes) ? pointTypes : [];
  const typesByCode = new Map(types.map((ty) => [ty.code, ty]));

  const stats = createAreaStatsLayer(map, { onSelect: (props, bounds) => onAreaClick(props, bounds) });
  const grids = createGridsLayer({ outlineOnly: true });
  const areas = createAreasLayer(map, { labels: false });
  const points = createPointsLayer(map, typesByCode, {
    canInspect: hasRole(config.user, 'INSPECTOR'),
    onSelect: (props, type) => openPoint(props, type),
  });
  const problems = createProblemsLayer(map);
  stats.layer.addTo(map);
  grids.layer.addTo(map);
  areas.layer.addTo(map);
  points.layer.addTo(map);

  const legend = createLegend({ startOpen: window.matchMedia('(min-width: 640px)').matches });
  const baseMaps = baseMapsFrom(config);
  const tools = createToolsControl({
    onHome: () => (drilled ? undrill() : map.fitBounds(homeBounds())),
    fullscreenTarget: layout.main,
    onPrint: () => printView(),
  });
  tools.control.addTo(map);
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
  const attribution = createAttribution();
  legend.control.addTo(map);
  attribution.control.addTo(map);
  const report = createReportControl(map, { toWgs: (latlng) => latLngToWgs(latlng) });
  report.control.addTo(map);
  const baseSwitcher = createBaseMapSwitcher({ baseMaps, current: DEFAULT_BASEMAP, onChange: (id) => setBaseMap(id) });
  if (baseMaps.length > 1) layout.stage.classList.add('cg-has-basemaps');
  baseSwitcher.control.addTo(map);

  const panel = createSidePanel(layout.stage, { onClose: () => stats.select('') });
  const filters = createFilters(layout.stage, {
    pointTypes: types,
    categories,
    onChange: (next) => {
      view.filters = next;
      refresh();
      writeUrl();
      if (panel.current() && panel.current().kind === 'area') panel.refresh(filterParams(next));
    },
  });
  const search = createSearch(layout.tools, { onChoose: (r) => onSearchChoose(r).catch(fail) });
  layout.tools.append(filters.toggle);

  showDistrict(config);
  if (config.user) initAppBar(config.user);

  app = {
    map, config, types, layout, stats, grids, areas, points, problems, legend, report, tools, panel, filters, search,
    baseMaps, baseSwitcher, attribution, baseMap: null, baseLayer: null, layerControl: null, breadcrumb: layout.breadcrumb,
  };
  renderMetricSelect();
  layout.metricSelect.addEventListener('change', () => {
    view.metric = METRICS.includes(layout.metricSelect.value) ? layout.metricSelect.value : 'open';
    refresh();
    writeUrl();
  });
  buildLayerControl();
  map.on('overlayadd overlayremove', (e) => {
    if (e.layer !== problems.layer) return;
    view.problems = e.type === 'overlayadd';
    app.legend.setProblems(view.problems);
    refresh();
    writeUrl();
  });
  map.on('moveend', debounce(() => {
    if (restoring) return;
    refresh();
    writeUrl();
  }, MOVE_DEBOUNCE_MS));
  const compact = () => mapEl.classList.toggle('cg-compact-points', map.getZoom() < 15);
  map.on('zoomend', () => {
    compact();
    if (!drilled && !restoring) renderBreadcrumb();
  });
  compact();
  window.addEventListener('afterprint', () => document.body.classList.remove('cg-printing'));
}

/** Puts the URL's view on the map: base map, filters, metric, problems, then the area or centre/zoom. */
function applyView() {
  setBaseMap(view.base || DEFAULT_BASEMAP, { reload: false });
  app.filters.set(view.filters);
  app.layout.metricSelect.value = view.metric;
  if (view.problems) app.problems.layer.addTo(app.map);
  app.legend.setProblems(view.problems);
  if (view.area && (app.areas.find(view.area) || app.areas.find(view.area.slice(0, 12)))) {
    drilled = levelOfCode(view.area) === 'grid' ? view.area.slice(0, 12) : view.area;
    fitArea(drilled);
  } else if (view.center && view.zoom != null) {
    app.map.setView(latLngToDisplay(view.center[0], view.center[1]), view.zoom, { animate: false });
  } else {
    app.map.fitBounds(homeBounds());
  }
  if (drilled) {
    app.panel.showArea(drilled, { name: areaName(drilled), level: levelOfCode(drilled), filters: filterParams(view.filters) });
  }
  renderBreadcrumb();
}

async function start() {
  if (!app) {
    const [config, pointTypes, categories] = await Promise.all([
      api.mapConfig(), api.pointTypes(), api.categories().catch(() => []),
    ]);
    createApp(config, pointTypes, categories);
    app.map.fitBounds(homeBounds()); // a view before the outlines arrive
    beginLoading();
    try {
      await loadOutlines();
    } finally {
      endLoading();
    }
    applyView();
  }
  await loadLayers(true);
  restoring = false;
  writeUrl();
}

function onLanguageChanged() {
  applyStatic();
  refreshError();
  if (app && app.config.user) initAppBar(app.config.user); // role names in the tooltip
  if (!app) return;
  app.map.closePopup(); // popups are rebuilt in the new language when reopened
  app.legend.render();
  app.report.render();
  app.tools.render();
  app.baseSwitcher.render();
  app.filters.render();
  app.search.render();
  app.stats.relabel();
  renderMetricSelect();
  renderBreadcrumb();
  buildLayerControl();
  app.panel.refresh();
  writeUrl();
}

async function main() {
  await initI18n();
  applyStatic();
  initStatus({ onRetry: () => start().catch(fail) });
  onLangChange(onLanguageChanged);
  bindLangToggle(fail);
  await start();
}

main().catch(fail);
