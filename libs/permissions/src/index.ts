export * from './types';
export * from './resolve';
export * from './validation';
export * from './view';
