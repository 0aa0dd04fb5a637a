export * from './schedule-service';
export * from './schedules.controller';
