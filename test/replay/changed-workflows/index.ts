// A deliberately NOT replay-safe change of the onboarding workflow, for the replay gate's negative test:
// a timer before anything the recorded histories did. Old histories must fail to replay against it.
import { sleep } from '@temporalio/workflow';
import type { OnboardingInput } from '../../../libs/domain/schemas';
import { onboardShareholder as realOnboard, type OnboardingResult } from '../../../workflows/onboarding/onboard-shareholder.workflow';

export async function onboardShareholder(input: OnboardingInput): Promise<OnboardingResult> {
  await sleep('1 ms');
  return realOnboard(input);
}
