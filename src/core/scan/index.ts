export * from './occurrence';
export * from './scanArchStrings';
export * from './scanIndices';
export * from './scanNaslibTuples';
export * from './scanArchitectures';
export * from './edgeSpans';
export * from './encodingEdit';
export * from './incrementalScan';
