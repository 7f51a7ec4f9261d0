import type { TFunction } from 'i18next';
import { ApiFailure } from './api';

/**
 * An API failure in the user's language: the API keeps its stable code and English message, and the
 * dashboard says its own sentence per code (unknown codes fall back to a sentence naming the code).
 */
export function apiErrorText(err: unknown, t: TFunction): string {
  if (err instanceof ApiFailure) return t(`apiError.${err.code}`, { defaultValue: t('apiError.default', { code: err.code }) });
  return t('apiError.default', { code: (err as Error)?.message ?? String(err) });
}
