import { PermanentDeliveryError, SmtpMailer, smtpSecrets } from '@welfare/kit/mail';

/** What a transport needs of an outbox row. */
export interface OutgoingEmail {
  id: string;
  recipient: string;
  subject: string;
  body: string;
}

/** What a transport reports for a message it handled. */
interface DeliveryReceipt {
  /** The server's id of the message, for the logs. */
  providerId?: string;
  /** Recorded only, not delivered (the embedded run): the body is kept, the row is the message. */
  recordedOnly?: boolean;
}

/** Delivers e-mails; rejects to retry later, with `PermanentDeliveryError` to fail at once. */
export interface EmailTransport {
  send(message: OutgoingEmail): Promise<DeliveryReceipt>;
  close?(): Promise<void>;
}

export { PermanentDeliveryError } from '@welfare/kit/mail';

/** Delivery settings, validated by config.ts (`SMTP_*`), as public-welfare's. */
export interface DeliverySettings {
  smtp: { url: string; from: string } | null;
  /**
   * Without an SMTP server: `outbox` marks the message SENT without delivering it (the embedded
   * demo and test run; the row keeps the body), `fail` marks it FAILED (production).
   */
  unconfigured: 'outbox' | 'fail';
  /** Longest wait for one delivery, in ms. */
  sendTimeoutMs: number;
}

/** The transport the settings call for. */
export function createEmailTransport(settings: DeliverySettings): EmailTransport {
  if (settings.smtp)
    return new SmtpMailer({
      ...settings.smtp,
      timeoutMs: settings.sendTimeoutMs,
      maxConnections: 2,
    });
  if (settings.unconfigured === 'outbox') {
    return { send: () => Promise.resolve({ recordedOnly: true }) };
  }
  return {
    send: () => Promise.reject(new PermanentDeliveryError('no SMTP server configured')),
  };
}

/** The secrets of the settings: never written to `last_error` or the logs. */
export function deliverySecrets(settings: DeliverySettings): string[] {
  return settings.smtp ? smtpSecrets(settings.smtp.url).filter((s) => s.length >= 4) : [];
}
