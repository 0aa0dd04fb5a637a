export * from './processes';
export * from './eventstore-double';
export * from './http';
export * from './engine';
export * from './browser';
