export * from './series';
export * from './holt-winters';
export * from './forecast';
export * from './heatmap';
