export * from './types';
export * from './build';
export * from './system';
