import { main } from '@spark/service-kit';
import { ProjectorModule } from './app.module';

main(ProjectorModule);
