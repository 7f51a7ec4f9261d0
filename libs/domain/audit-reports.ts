/** What the audit cross-check answers (GET /api/workflows/{id}/crosscheck); the API and the CLI share it. */
export type CrosscheckReport = {
  workflowId: string;
  ok: boolean;
  /** Distinct tracking writes whose `track` activity completed in the history (all runs of the id). */
  trackedInHistory: number;
  /** The workflow's tracking audit events (idempotency key `<id>#<key>`; launch and api# events excluded). */
  auditEvents: number;
  missingInAudit: { key: string; historyEventId: number }[];
  missingInHistory: { seq: number; key: string }[];
  /** Runs of this workflow id whose histories were read (more than one after continue-as-new). */
  runs: number;
  /** Tracking activities scheduled but not finished yet (a running workflow): their audit rows are not counted missing. */
  inFlight: number;
};
