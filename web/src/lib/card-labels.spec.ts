import { describe, expect, it } from 'vitest';
import {
  STAFF_BLOCK_REASONS,
  blockReasonLabel,
  cardNumber,
  cardStatusLabel,
  isCardStatus,
  isStaffBlockReason,
} from './card-labels';

describe('card labels', () => {
  it('print the number in groups of four', () => {
    expect(cardNumber('1234567812345678')).toBe('1234 5678 1234 5678');
  });

  it('accept only the API statuses and the reasons staff may give', () => {
    expect(isCardStatus('BLOCKED')).toBe(true);
    expect(isCardStatus('blocked')).toBe(false);
    expect(isStaffBlockReason('LOST')).toBe(true);
    expect(isStaffBlockReason('PIN_LOCKED')).toBe(false);
    expect(STAFF_BLOCK_REASONS).not.toContain('PIN_LOCKED');
  });

  it('name statuses and reasons, and show an unknown one as sent', () => {
    expect(cardStatusLabel('BLOCKED')).toBe('Bloccata');
    expect(blockReasonLabel('PIN_LOCKED')).not.toBe('PIN_LOCKED');
    expect(cardStatusLabel('LOST_IN_SPACE')).toBe('LOST_IN_SPACE');
  });
});
