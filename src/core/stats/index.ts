export * from './ranks';
export * from './correlation';
