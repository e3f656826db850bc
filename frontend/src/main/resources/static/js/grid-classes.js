// The one place that defines the open-problem classes for grid colouring
// (legend and layer styling both read from here). `max: null` = open-ended.
export const GRID_CLASSES = [
  { min: 0, max: 0, color: '#3a9a5b' },
  { min: 1, max: 2, color: '#f3e27a' },
  { min: 3, max: 5, color: '#f0902f' },
  { min: 6, max: null, color: '#d3362d' },
];

export function gridClass(openProblems) {
  const n = Math.max(0, Number(openProblems) || 0);
  return GRID_CLASSES.find((c) => n >= c.min && (c.max === null || n <= c.max)) || GRID_CLASSES[0];
}
