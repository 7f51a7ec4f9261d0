export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'fuusio';
export const DEFAULT_TASK_QUEUE = 'fuusio';
