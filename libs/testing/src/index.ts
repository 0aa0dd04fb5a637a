export * from './processes';
export * from './eventstore-double';
