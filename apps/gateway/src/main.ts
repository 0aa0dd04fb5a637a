import { main } from '@spark/service-kit';
import { GatewayModule } from './app.module';

main(GatewayModule);
