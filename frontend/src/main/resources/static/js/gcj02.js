// WGS84 ⇄ GCJ-02 (高德/腾讯 "Mars" coordinates). The forward formula is public; the inverse is
// iterative (a few rounds of fixed-point correction reach far below 0.5 m). Outside China the
// offset is zero, as in the published algorithm.
const A = 6378245.0; // Krasovsky 1940 semi-major axis
const EE = 0.00669342162296594323; // its eccentricity squared

function outOfChina(lon, lat) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x, y) {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x, y) {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** [lon, lat] WGS84 → [lon, lat] GCJ-02. */
export function wgsToGcj(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat];
  let dLat = transformLat(lon - 105.0, lat - 35.0);
  let dLon = transformLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** [lon, lat] GCJ-02 → [lon, lat] WGS84 by fixed-point iteration (error well below 0.5 m). */
export function gcjToWgs(lon, lat) {
  if (outOfChina(lon, lat)) return [lon, lat];
  let x = lon;
  let y = lat;
  for (let i = 0; i < 10; i += 1) {
    const [gx, gy] = wgsToGcj(x, y);
    const dx = gx - lon;
    const dy = gy - lat;
    x -= dx;
    y -= dy;
    if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) break;
  }
  return [x, y];
}

function mapCoords(coords, fn) {
  if (typeof coords[0] === 'number') {
    const [x, y] = fn(coords[0], coords[1]);
    return coords.length > 2 ? [x, y, ...coords.slice(2)] : [x, y];
  }
  return coords.map((c) => mapCoords(c, fn));
}

function mapGeometry(geometry, fn) {
  if (!geometry) return geometry;
  if (geometry.type === 'GeometryCollection') {
    return { ...geometry, geometries: geometry.geometries.map((g) => mapGeometry(g, fn)) };
  }
  return { ...geometry, coordinates: mapCoords(geometry.coordinates, fn) };
}

/** A copy of a GeoJSON FeatureCollection (or Feature) with every coordinate passed through fn(lon, lat). */
export function transformGeoJson(geojson, fn) {
  if (!geojson) return geojson;
  if (geojson.type === 'FeatureCollection') {
    return { ...geojson, features: (geojson.features || []).map((f) => transformGeoJson(f, fn)) };
  }
  if (geojson.type === 'Feature') return { ...geojson, geometry: mapGeometry(geojson.geometry, fn) };
  return mapGeometry(geojson, fn);
}
