export * from './periods';
export * from './columns';
export * from './excel';
export * from './csv';
export * from './export-job';
