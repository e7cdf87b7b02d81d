export * from './random';
export * from './objective';
export * from './algorithms';
export * from './summary';
export * from './paperFigures';
