// The same change made replay-safe with patched(): histories recorded before it do not carry the
// marker, so on replay the new timer is skipped and the old commands line up again.
import { patched, sleep } from '@temporalio/workflow';
import type { OnboardingInput } from '../../../libs/domain/schemas';
import { onboardShareholder as realOnboard, type OnboardingResult } from '../../../workflows/onboarding/onboard-shareholder.workflow';

export async function onboardShareholder(input: OnboardingInput): Promise<OnboardingResult> {
  if (patched('fuusio-replay-gate-demo')) await sleep('1 ms');
  return realOnboard(input);
}
