import { Injectable } from '@nestjs/common';

/**
 * The API's sense of "now" for rules that depend on the date (a delegation may not start in the past,
 * which delegations are in force, what is overdue). A provider, so tests can put a fixed clock in its place.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today in UTC as YYYY-MM-DD. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}
