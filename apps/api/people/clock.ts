import { Injectable } from '@nestjs/common';
import { helsinkiDate } from '../../../libs/domain/helsinki-time';

/**
 * The API's sense of "now" for rules that depend on the date (a delegation may not start in the past,
 * which delegations are in force, what is overdue). A provider, so tests can put a fixed clock in its place.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Today's Helsinki calendar date as YYYY-MM-DD (domain dates are Helsinki dates: 00:30 in Helsinki is already tomorrow in UTC terms). */
  today(): string {
    return helsinkiDate(this.now());
  }
}
