// Display formatting for dates, JSON blobs and area codes.
import { getLang, t } from './i18n.js';

export function formatDateTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(getLang(), {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(d);
}

/** A JSON string (or value) pretty-printed; unparsable text is returned as-is. */
export function prettyJson(value) {
  if (value == null || value === '') return '';
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
}

/** "320508001 双塔街道" when the name is known, else the bare code. */
export function areaLabel(code, areasByCode) {
  const area = areasByCode && areasByCode.get(code);
  return area && area.name ? `${code} ${area.name}` : String(code);
}

export function departmentName(dept) {
  if (!dept) return '';
  return (getLang() === 'en' ? dept.nameEn || dept.nameZh : dept.nameZh || dept.nameEn) || dept.code;
}

/** yyyy-mm-dd (from <input type=date>) at local midnight → ISO instant; plusDays moves the day. */
export function dateInputToInstant(value, plusDays = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays, 0, 0, 0, 0);
  return d.toISOString();
}
