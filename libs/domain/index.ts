export * from './business-id';
export * from './shares';
export * from './split';
