// ECharts (webjar, loaded as a classic deferred script → window.echarts) for the leader dashboard:
// the weekly trend (reported/closed bars + closure-rate line; a click selects that week) and the breakdown
// by category or special action (horizontal bars; a click sets that filter). Canvas renderer and
// richText tooltips: nothing is written as HTML, so names from the API stay text and no inline style
// attribute meets the CSP. The instances are on window.civicgridCharts for tests.

const PALETTE = { reported: '#33507f', closed: '#23683b', rate: '#b3261e', open: '#f4824a', overdue: '#8c0d0d' };

function instance(node) {
  const echarts = window.echarts;
  if (!echarts) throw new Error('ECharts did not load');
  return echarts.getInstanceByDom(node) || echarts.init(node, null, { renderer: 'canvas' });
}

const pct = (v) => (v == null ? null : Math.round(Number(v) * 1000) / 10);

/**
 * node: the chart container. t: the i18n function. onWeek(weekStart) when a week is clicked.
 */
export function createTrendChart(node, { t, onWeek }) {
  const chart = instance(node);
  let weeks = [];
  chart.on('click', (params) => {
    const w = weeks[params.dataIndex];
    if (w && w.weekStart) onWeek(w.weekStart);
  });
  // Clicks on the empty band of a week (between bars) select it too.
  chart.getZr().on('click', (e) => {
    if (e.target) return;
    const point = [e.offsetX, e.offsetY];
    if (!chart.containPixel('grid', point)) return;
    const [index] = chart.convertFromPixel({ xAxisIndex: 0, yAxisIndex: 0 }, point);
    const w = weeks[Math.round(index)];
    if (w && w.weekStart) onWeek(w.weekStart);
  });
  return {
    chart,
    set(list, selectedWeek) {
      weeks = Array.isArray(list) ? list : [];
      const labels = weeks.map((w) => String(w.weekStart || '').slice(5));
      chart.setOption({
        animation: false,
        color: [PALETTE.reported, PALETTE.closed, PALETTE.rate],
        tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
        legend: { top: 0, data: [t('leader.ind.reported'), t('leader.ind.closed'), t('leader.ind.closureRate')] },
        grid: { left: 44, right: 44, top: 36, bottom: 28 },
        xAxis: {
          type: 'category',
          data: labels,
          axisLabel: {
            formatter: (v, i) => (weeks[i] && weeks[i].weekStart === selectedWeek ? `{sel|${v}}` : v),
            rich: { sel: { fontWeight: 'bold', color: PALETTE.rate } },
          },
        },
        yAxis: [
          { type: 'value', minInterval: 1, name: t('leader.chart.count') },
          { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
        ],
        series: [
          { name: t('leader.ind.reported'), type: 'bar', data: weeks.map((w) => Number(w.reported) || 0), barMaxWidth: 22 },
          { name: t('leader.ind.closed'), type: 'bar', data: weeks.map((w) => Number(w.closed) || 0), barMaxWidth: 22 },
          {
            name: t('leader.ind.closureRate'), type: 'line', yAxisIndex: 1, data: weeks.map((w) => pct(w.closureRate)),
            connectNulls: true, symbolSize: 7,
          },
        ],
      }, true);
    },
    resize: () => chart.resize(),
  };
}

/** by: category | action. onPick(code) when a bar is clicked. */
export function createBreakdownChart(node, { t, onPick }) {
  const chart = instance(node);
  let rows = [];
  chart.on('click', (params) => {
    const row = rows[params.dataIndex];
    if (row && row.code) onPick(row.code);
  });
  return {
    chart,
    rows: () => rows,
    set(list, selectedCode) {
      // Largest at the top (ECharts draws a category y axis bottom-up).
      rows = (Array.isArray(list) ? list : []).slice(0, 20).sort((a, b) => (Number(a.reported) || 0) - (Number(b.reported) || 0));
      const height = Math.max(160, rows.length * 28 + 60);
      node.style.height = `${height}px`;
      chart.resize();
      chart.setOption({
        animation: false,
        color: [PALETTE.closed, PALETTE.open, PALETTE.overdue],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText', confine: true },
        legend: { top: 0, data: [t('leader.ind.closed'), t('leader.breakdown.open'), t('leader.ind.overdue')] },
        grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: {
          type: 'category',
          data: rows.map((r) => String(r.name || r.code || '')),
          axisLabel: {
            width: 120,
            overflow: 'truncate',
            formatter: (v, i) => (rows[i] && rows[i].code === selectedCode ? `{sel|${v}}` : v),
            rich: { sel: { fontWeight: 'bold', color: PALETTE.rate } },
          },
        },
        series: [
          { name: t('leader.ind.closed'), type: 'bar', stack: 'all', data: rows.map((r) => Number(r.closed) || 0), barMaxWidth: 20 },
          { name: t('leader.breakdown.open'), type: 'bar', stack: 'all', data: rows.map((r) => Math.max(0, (Number(r.open) || 0) - (Number(r.overdue) || 0))), barMaxWidth: 20 },
          { name: t('leader.ind.overdue'), type: 'bar', stack: 'all', data: rows.map((r) => Number(r.overdue) || 0), barMaxWidth: 20 },
        ],
      }, true);
    },
    resize: () => chart.resize(),
  };
}
