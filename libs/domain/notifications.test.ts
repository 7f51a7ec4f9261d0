import { backoffMs, bodyOfGate, kindOfStep, outboxKey, webhookInputSchema } from './notifications';
import { renderMail } from '../notify/catalogue';
import { signWebhook, verifyWebhook } from '../notify/webhook-signature';

describe('notifications', () => {
  test('the kind of a step and the body of a gate', () => {
    expect(kindOfStep('subscription.reminder.7 days')).toBe('reminder');
    expect(kindOfStep('report.2.escalated')).toBe('escalation');
    expect(kindOfStep('notified')).toBe('notice');
    expect(bodyOfGate('decisions/verso-board')).toBe('verso-board');
    expect(bodyOfGate('board')).toBe('board');
    expect(outboxKey('w', 's', 'p', 'email')).toBe('w:s:p:email');
  });

  test('backoff doubles and is capped at an hour', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 1000))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });

  test('webhook URLs: https, or http only to loopback', () => {
    const ok = (url: string) => webhookInputSchema.safeParse({ organisation: '0196714-1', url }).success;
    expect(ok('https://hooks.example.org/x')).toBe(true);
    expect(ok('http://127.0.0.1:9000/x')).toBe(true);
    expect(ok('http://localhost/x')).toBe(true);
    expect(ok('http://hooks.example.org/x')).toBe(false);
    expect(ok('http://127.0.0.1.example.org/x')).toBe(false);
  });

  test('a mail in each language links to the item', () => {
    const p = { title: 'Onboarding X', workflowId: 'onboarding:1:2', stepKey: 'approval.board', gate: 'Board' };
    expect(renderMail('approval.opened', 'sv', p, 'http://h/').subject).toBe('Beslut väntar: Onboarding X');
    expect(renderMail('reminder', 'fi', p, 'http://h').text).toContain('http://h/#/w/onboarding%3A1%3A2');
  });

  test('a signature verifies with the secret only, over the timestamp and the body', () => {
    const sig = signWebhook('s3cret', '1700000000', '{"a":1}');
    expect(verifyWebhook('s3cret', '1700000000', '{"a":1}', sig)).toBe(true);
    expect(verifyWebhook('other', '1700000000', '{"a":1}', sig)).toBe(false);
    expect(verifyWebhook('s3cret', '1700000001', '{"a":1}', sig)).toBe(false);
  });
});
