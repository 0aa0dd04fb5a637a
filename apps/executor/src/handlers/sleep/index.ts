export * from './sleep-handler';
