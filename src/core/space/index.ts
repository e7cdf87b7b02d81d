export * from './ops';
export * from './cell';
export * from './parse';
export * from './suggest';
export * from './encodings';
export * from './isomorphism';
export * from './deadEdges';
export * from './cost';
