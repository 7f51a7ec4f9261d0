import { Global, Module } from '@nestjs/common';
import { loadConfig } from './config';

export const FUUSIO_CONFIG = Symbol('FUUSIO_CONFIG');

@Global()
@Module({
  providers: [{ provide: FUUSIO_CONFIG, useFactory: () => loadConfig() }],
  exports: [FUUSIO_CONFIG],
})
export class FuusioConfigModule {}
