export * from './schedules-page';
