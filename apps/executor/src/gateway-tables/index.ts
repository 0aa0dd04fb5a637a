export * from './gateway-tables';
