// Fuusio's domain rules and vocabulary: pure, deterministic, importable from workflows, activities, API and CLI.
export * from './audit-reports';
export * from './business-id';
export * from './consolidation';
export * from './duration';
export * from './launch-kinds';
export * from './progress';
export * from './project';
export * from './projection';
export * from './schemas';
export * from './shares';
export * from './split';
export * from './state-aid';
