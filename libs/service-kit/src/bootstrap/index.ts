export * from './tokens';
export * from './spark-service.module';
export * from './run-service';
