// The leader dashboard's map (挂图作战): area outlines on the offline base map, the problem-density heatmap
// (hexagons aggregated by the server, coloured by count / max), its legend, a week-by-week playback over the
// last 12 weeks (frames cached per view) and the hotspot list (top cells; click → fly there + popup).
// #leader-map carries data-heatmap-state (loading|ready|error), data-heatmap-cells, data-heatmap-requests
// and data-heatmap-query (the last /api/heatmap query string) for tests.
import { el, debounce } from './dom.js';
import { t } from './i18n.js';
import { api, isAbort } from './api.js';
import { leaderApi } from './leader-api.js';
import { describeError } from './forms.js';
import { baseMapsFrom } from './basemaps.js';
import { createAreasLayer, AREA_LEVELS } from './layers/areas.js';
import { weeksEnding, addDays } from './leader-state.js';

const L = window.L;
const FRAMES = 12;
const PLAY_MS = 1500;
// Light yellow → deep red, five steps of count / max.
export const RAMP = ['#fee8a8', '#fdb863', '#f4824a', '#d7301f', '#8c0d0d'];

export function rampColor(count, max) {
  if (!(count > 0) || !(max > 0)) return RAMP[0];
  const i = Math.min(RAMP.length - 1, Math.floor((count / max) * RAMP.length));
  return RAMP[Math.max(0, i)];
}

function bboxOf(bounds) {
  return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map((n) => n.toFixed(6)).join(',');
}

function queryString(params) {
  return Object.entries(params).filter(([, v]) => v != null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2C/g, ',')}`).join('&');
}

/**
 * host: the map element. getContext(): {from, to, week, category, action, status} of the page.
 * onViewChange(center [lat, lon], zoom) after the user moved the map.
 */
export function createLeaderMap(host, { config, getContext, onViewChange, hotspotList, legendHost, playbackHost, errorNode }) {
  const map = L.map(host, {
    minZoom: config.minZoom || 4,
    maxZoom: config.maxZoom || 19,
    zoomControl: true,
    attributionControl: false,
    maxBounds: L.latLngBounds(config.bounds).pad(0.5),
    maxBoundsViscosity: 0.8,
  });
  // Only the offline base map and WGS84 tile sets: this page does not shift overlays to GCJ-02.
  const base = baseMapsFrom(config).find((b) => b.crs !== 'GCJ02' && b.id === 'offline') || baseMapsFrom(config)[0];
  const baseLayer = base && base.create();
  if (baseLayer) baseLayer.addTo(map);
  L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);

  const areas = createAreasLayer(map, { labels: false }); // like the wall map: outlines only, the heatmap is the subject
  areas.layer.addTo(map);
  map.createPane('heatmap').classList.add('ld-pane-heatmap');
  const heat = L.geoJSON(null, {
    pane: 'heatmap',
    style: (f) => {
      const count = Number(f.properties && f.properties.count) || 0;
      return { color: '#7a1a13', weight: 0.5, opacity: 0.5, fillColor: rampColor(count, heat.max), fillOpacity: 0.65 };
    },
    onEachFeature(feature, layer) {
      const p = feature.properties || {};
      layer.bindTooltip(el('span', { text: t('leader.heat.cellCount', { n: Number(p.count) || 0 }) }), { sticky: true });
    },
  });
  heat.max = 1;
  heat.addTo(map);
  const hotspotMarkers = L.layerGroup().addTo(map);

  const cache = new Map(); // frame key → FeatureCollection
  let ctl = null;
  let frameIndex = FRAMES - 1;
  let playing = null;
  let requests = 0;
  let lastHotspots = [];
  let suppressMove = false;

  function params(week) {
    const c = getContext();
    const from = week || c.from;
    const to = week ? addDays(week, 6) : c.to;
    return {
      bbox: bboxOf(map.getBounds()), zoom: Math.round(map.getZoom()), from, to,
      category: c.category || null, action: c.action || null, status: c.status && c.status !== 'all' ? c.status : null,
    };
  }

  function frameWeeks() {
    return weeksEnding(getContext().week, FRAMES);
  }

  function setError(err) {
    if (!errorNode) return;
    errorNode.textContent = err ? t('leader.error.section', { what: t('leader.map.title'), detail: describeError(err) }) : '';
    errorNode.hidden = !err;
  }

  function draw(fc) {
    const features = fc && Array.isArray(fc.features) ? fc.features : [];
    heat.max = Number(fc && fc.max) || features.reduce((m, f) => Math.max(m, Number(f.properties && f.properties.count) || 0), 0) || 1;
    heat.clearLayers();
    heat.addData({ type: 'FeatureCollection', features });
    for (const layer of heat.getLayers()) {
      const e = layer.getElement && layer.getElement();
      if (e) e.setAttribute('data-cell', String((layer.feature.properties || {}).cellId || ''));
    }
    host.dataset.heatmapCells = String(features.length);
    renderLegend(heat.max, fc && fc.cellSizeMeters);
  }

  /** Loads (or takes from the cache) the heatmap of the frame shown (the page's period on the last frame). */
  async function loadHeat() {
    const weeks = frameWeeks();
    const week = frameIndex === FRAMES - 1 ? null : weeks[frameIndex];
    const p = params(week);
    const key = queryString(p);
    renderPlayback();
    if (cache.has(key)) {
      draw(cache.get(key));
      host.dataset.heatmapState = 'ready';
      return;
    }
    if (ctl) ctl.abort();
    ctl = new AbortController();
    const { signal } = ctl;
    host.dataset.heatmapState = 'loading';
    requests += 1;
    host.dataset.heatmapRequests = String(requests);
    host.dataset.heatmapQuery = key;
    try {
      const fc = await leaderApi.heatmap(p, signal);
      if (signal.aborted) return;
      if (cache.size > 60) cache.delete(cache.keys().next().value);
      cache.set(key, fc);
      draw(fc);
      host.dataset.heatmapState = 'ready';
      setError(null);
    } catch (err) {
      if (isAbort(err)) return;
      console.error(err);
      heat.clearLayers();
      host.dataset.heatmapCells = '0';
      host.dataset.heatmapState = 'error';
      setError(err);
    }
  }

  let hotCtl = null;
  async function loadHotspots() {
    if (hotCtl) hotCtl.abort();
    hotCtl = new AbortController();
    const { signal } = hotCtl;
    hotspotList.dataset.state = 'loading';
    try {
      const answer = await leaderApi.hotspots(params(null), signal);
      if (signal.aborted) return;
      lastHotspots = Array.isArray(answer && answer.hotspots) ? answer.hotspots : [];
      renderHotspots();
      hotspotList.dataset.state = 'ready';
    } catch (err) {
      if (isAbort(err)) return;
      lastHotspots = [];
      hotspotMarkers.clearLayers();
      hotspotList.replaceChildren(el('p', { className: 'ld-error', text: t('leader.error.section', { what: t('leader.hotspots.title'), detail: describeError(err) }), attrs: { role: 'alert' } }));
      hotspotList.dataset.state = 'error';
    }
  }

  function hotspotCard(h) {
    const cats = Array.isArray(h.topCategories) ? h.topCategories : [];
    const points = Array.isArray(h.topPoints) ? h.topPoints : [];
    const list = (items, empty) => (items.length
      ? el('ol', { className: 'ld-hot-sub' }, items.map((x) => el('li', {}, [
        el('span', { text: x.name || x.code || x.id || '' }), ' ', el('span', { className: 'ld-count', text: Number(x.count) || 0 }),
      ])))
      : el('p', { className: 'muted', text: empty }));
    return el('div', { className: 'cg-card ld-hot-card' }, [
      el('h2', { className: 'cg-card-title', text: t('leader.hotspots.cell', { n: Number(h.count) || 0 }) }),
      el('h3', { className: 'ld-hot-h', text: t('leader.hotspots.topCategories') }),
      list(cats, t('common.none')),
      el('h3', { className: 'ld-hot-h', text: t('leader.hotspots.topPoints') }),
      list(points, t('common.none')),
    ]);
  }

  function openHotspot(h) {
    const lat = Number(h.lat);
    const lon = Number(h.lon);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    suppressMove = true;
    map.flyTo([lat, lon], Math.max(map.getZoom(), 16), { duration: 0.6 });
    map.once('moveend', () => {
      suppressMove = false;
      L.popup({ maxWidth: 300 }).setLatLng([lat, lon]).setContent(hotspotCard(h)).openOn(map);
      onViewChange([map.getCenter().lat, map.getCenter().lng], map.getZoom());
      loadHeat();
    });
  }

  function renderHotspots() {
    hotspotMarkers.clearLayers();
    if (!lastHotspots.length) {
      hotspotList.replaceChildren(el('p', { className: 'muted', text: t('leader.hotspots.none') }));
      return;
    }
    const ol = el('ol', { className: 'ld-hotspots', attrs: { id: 'hotspot-items' } });
    lastHotspots.forEach((h, i) => {
      const cats = (Array.isArray(h.topCategories) ? h.topCategories : []).slice(0, 2).map((c) => c.name || c.code).join('、');
      const b = el('button', { className: 'ld-hot', attrs: { type: 'button', 'data-cell': h.cellId == null ? null : String(h.cellId) } }, [
        el('span', { className: 'ld-hot-rank', text: i + 1 }),
        el('span', { className: 'ld-hot-text' }, [
          el('span', { className: 'ld-hot-count', text: t('leader.hotspots.cell', { n: Number(h.count) || 0 }) }),
          el('span', { className: 'ld-hot-cats', text: cats }),
        ]),
      ]);
      b.addEventListener('click', () => openHotspot(h));
      ol.append(el('li', {}, [b]));
      const lat = Number(h.lat);
      const lon = Number(h.lon);
      if (Number.isFinite(lat) && Number.isFinite(lon)) {
        const m = L.circleMarker([lat, lon], { pane: 'markerPane', radius: 11, color: '#1d2a44', weight: 2, fillColor: '#fff', fillOpacity: 0.9 });
        m.bindTooltip(el('span', { text: String(i + 1) }), { permanent: true, direction: 'center', className: 'ld-hot-label' });
        m.on('click', () => openHotspot(h));
        hotspotMarkers.addLayer(m);
      }
    });
    hotspotList.replaceChildren(ol);
  }

  function renderLegend(max, cell) {
    // Steps whose range is empty (few problems: max below the number of colours) are left out.
    const items = RAMP.map((color, i) => {
      const lo = Math.floor((i / RAMP.length) * max) + (i === 0 ? 0 : 1);
      const hi = Math.floor(((i + 1) / RAMP.length) * max);
      if (hi < lo && !(i === 0 && max === 0)) return null;
      const sw = el('span', { className: 'ld-swatch', attrs: { 'aria-hidden': 'true', 'data-step': i } });
      sw.style.backgroundColor = color;
      return el('li', {}, [sw, el('span', { text: hi > lo ? `${lo}–${hi}` : String(lo) })]);
    }).filter(Boolean);
    legendHost.replaceChildren(
      el('h3', { className: 'ld-legend-title', text: t('leader.heat.legend') }),
      el('ul', { className: 'ld-legend-list' }, items),
      cell ? el('p', { className: 'muted ld-legend-note', text: t('leader.heat.cellSize', { m: Math.round(Number(cell)) }) }) : null,
    );
  }

  // ---- playback ----
  const slider = el('input', { attrs: { type: 'range', id: 'playback-slider', min: 0, max: FRAMES - 1, step: 1, value: FRAMES - 1 } });
  const playBtn = el('button', { className: 'btn btn-small', attrs: { type: 'button', id: 'playback-play' } });
  const frameLabel = el('output', { className: 'ld-frame', attrs: { id: 'playback-week', for: 'playback-slider' } });
  const caption = el('label', { className: 'ld-play-caption', attrs: { for: 'playback-slider' } });
  playbackHost.replaceChildren(caption, playBtn, slider, frameLabel);
  slider.addEventListener('input', () => {
    stop();
    frameIndex = Number(slider.value);
    loadHeat();
  });
  playBtn.addEventListener('click', () => (playing ? stop() : play()));

  function renderPlayback() {
    const weeks = frameWeeks();
    slider.value = String(frameIndex);
    caption.textContent = t('leader.play.label');
    slider.setAttribute('aria-label', t('leader.play.label'));
    playBtn.textContent = playing ? t('leader.play.pause') : t('leader.play.play');
    playBtn.setAttribute('aria-pressed', playing ? 'true' : 'false');
    const c = getContext();
    frameLabel.textContent = frameIndex === FRAMES - 1 && c.custom
      ? t('leader.period.range', { from: c.from, to: c.to })
      : t('leader.play.week', { from: weeks[frameIndex], to: addDays(weeks[frameIndex], 6) });
    playbackHost.dataset.frame = String(frameIndex);
  }

  function play() {
    if (frameIndex === FRAMES - 1) frameIndex = 0;
    playing = setInterval(() => {
      if (host.dataset.heatmapState === 'loading') return; // wait for the frame before moving on
      if (frameIndex >= FRAMES - 1) { stop(); return; }
      frameIndex += 1;
      loadHeat();
    }, PLAY_MS);
    loadHeat();
  }

  function stop() {
    if (playing) clearInterval(playing);
    playing = null;
    renderPlayback();
  }

  map.on('moveend', debounce(() => {
    if (suppressMove) return;
    onViewChange([map.getCenter().lat, map.getCenter().lng], map.getZoom());
    loadHeat();
    loadHotspots();
  }, 250));

  async function loadOutlines() {
    const b = L.latLngBounds(config.bounds);
    const bbox = bboxOf(b);
    const data = await Promise.all(AREA_LEVELS.map((level) => api.areas(level, bbox).catch(() => null)));
    AREA_LEVELS.forEach((level, i) => { if (data[i]) areas.setData(level, data[i]); });
  }

  return {
    map,
    /** Puts the map on the URL's view or the area's outline (or the caller's bounds). */
    setView(center, zoom, areaCode) {
      suppressMove = true;
      const found = areaCode && areas.find(areaCode);
      if (center && zoom != null) map.setView(center, zoom, { animate: false });
      else if (found && found.bounds && found.bounds.isValid()) map.fitBounds(found.bounds, { padding: [12, 12] });
      else map.fitBounds(L.latLngBounds(config.bounds));
      setTimeout(() => { suppressMove = false; }, 0);
    },
    loadOutlines,
    /** Filters or period changed: back to the last frame, everything reloaded. */
    reload() {
      stop();
      frameIndex = FRAMES - 1;
      loadHeat();
      loadHotspots();
    },
    relabel() {
      renderPlayback();
      renderLegend(heat.max, null);
      if (hotspotList.dataset.state === 'ready') renderHotspots();
    },
    invalidate: () => map.invalidateSize(),
  };
}
