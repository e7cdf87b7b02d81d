export * from './random';
export * from './objective';
export * from './algorithms';
export * from './summary';
