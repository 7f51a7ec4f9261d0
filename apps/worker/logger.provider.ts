import { createLogger } from '../../libs/logging/logger';

export const LOGGER = Symbol('LOGGER');
export const workerLoggerProvider = { provide: LOGGER, useFactory: () => createLogger('fuusio-worker') };
