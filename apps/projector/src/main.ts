import { main } from '@spark/service-kit';
import { ProjectorModule } from './app.module';
import { PROJECTOR_CONFIG_SCHEMA } from './projector-settings';

main(ProjectorModule, { service: 'projector', schemas: [PROJECTOR_CONFIG_SCHEMA] });
