import { main } from '@spark/service-kit';
import { ExecutorModule } from './app.module';

main(ExecutorModule);
