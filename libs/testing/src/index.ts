export * from './processes';
export * from './private-stack';
export * from './eventstore-double';
export * from './http';
export * from './engine';
export * from './browser';
