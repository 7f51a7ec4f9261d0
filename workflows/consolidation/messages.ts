import { defineSignal } from '@temporalio/workflow';

/** A funder's answer about one project, passed from the parent (which holds the consent gates) to the party's child. */
export type ProjectConsent = { code: string; consent: 'approved' | 'refused' | 'expired' };

export const projectConsentSignal = defineSignal<[ProjectConsent]>('projectConsent');

/**
 * The parent asks a party's transfers to stop (cancel or another party's failure). The child stops
 * between two items, never inside one, so when it returns nothing of it is still writing and the
 * parent can undo everything it logged.
 */
export const stopTransfersSignal = defineSignal('stopTransfers');
