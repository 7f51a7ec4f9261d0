import type { OnboardingInput } from '../../libs/domain/schemas';
import { onboardingInputSchema } from '../../libs/domain/schemas';
import { businessIdCheckDigit } from '../../libs/domain/business-id';
import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, SOCOM_BUSINESS_ID } from '../../infra/seed/demo-data';

export const ADMIN = { name: 'test-admin', role: 'admin' };
export const MANAGER = { name: 'test-manager', role: 'manager' };

/** Kymenlaakso wellbeing services county applying for Socom shares, as in 2023 (share count illustrative). */
export function countyApplication(overrides: Partial<OnboardingInput> = {}): OnboardingInput {
  return onboardingInputSchema.parse({
    company: SOCOM_BUSINESS_ID,
    applicant: { name: 'Kymenlaakson hyvinvointialue', businessId: KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, kind: 'wellbeing-county', region: 'Kymenlaakso' },
    shares: 10,
    pricePerShareCents: 100_00,
    deadlines: { subscription: '30 days', payment: '30 days', reminders: ['7 days', '1 day'] },
    ...overrides,
  });
}

// A random start per test file: files share one namespace, and the business key is the workflow id.
let nextBase = 8_000_000 + Math.floor(Math.random() * 9_000) * 100;

/** A valid business ID that no demo organisation has (bases in 8xxxxxx; demo IDs use 9xxxxxx). */
export function freshBusinessId(): string {
  for (;;) {
    nextBase += 1;
    const digits = String(nextBase).padStart(7, '0');
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}

/** A new association applying for shares: a different applicant each call, so tests do not meet each other. */
export function associationApplication(overrides: Partial<OnboardingInput> = {}): OnboardingInput {
  const base = countyApplication(overrides);
  return { ...base, applicant: { name: `Testiyhdistys ${nextBase}`, businessId: freshBusinessId(), kind: 'association' } };
}

/** A new association's launch body for `POST /api/workflows/onboarding`, as a client sends it. */
export function associationLaunchBody(overrides: Record<string, unknown> = {}) {
  return {
    company: SOCOM_BUSINESS_ID,
    applicant: { name: 'Uusi yhdistys ry', businessId: freshBusinessId(), kind: 'association' },
    shares: 4,
    pricePerShareCents: 250_00,
    ...overrides,
  };
}
