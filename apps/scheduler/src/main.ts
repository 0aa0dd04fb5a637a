import { main } from '@spark/service-kit';
import { SchedulerModule } from './app.module';

main(SchedulerModule);
