import { createTransport, type NodemailerError, type Transporter } from 'nodemailer';

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

/** A refusal that retrying would get again (an address the server rejects). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

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

/** E-mail over SMTP (nodemailer); the Message-ID is derived from the outbox row id. */
class SmtpTransport implements EmailTransport {
  private readonly transporter: Transporter;
  private readonly domain: string;

  constructor(settings: { url: string; from: string; timeoutMs: number }) {
    this.transporter = createTransport(
      {
        url: settings.url,
        pool: true,
        maxConnections: 2,
        connectionTimeout: settings.timeoutMs,
        greetingTimeout: settings.timeoutMs,
        socketTimeout: settings.timeoutMs,
      },
      { from: settings.from },
    );
    this.domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'welfare.invalid';
  }

  async send(message: OutgoingEmail): Promise<DeliveryReceipt> {
    try {
      const info = (await this.transporter.sendMail({
        to: message.recipient,
        subject: message.subject,
        text: message.body,
        messageId: `<${message.id}@${this.domain}>`,
      })) as { messageId?: string };
      return { providerId: info.messageId };
    } catch (err) {
      const e = err as NodemailerError;
      if (e.permanent === true && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')) {
        throw new PermanentDeliveryError(`SMTP ${e.responseCode ?? ''}: ${e.message}`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  close(): Promise<void> {
    this.transporter.close();
    return Promise.resolve();
  }
}

/** The transport the settings call for. */
export function createEmailTransport(settings: DeliverySettings): EmailTransport {
  if (settings.smtp)
    return new SmtpTransport({ ...settings.smtp, timeoutMs: settings.sendTimeoutMs });
  if (settings.unconfigured === 'outbox') {
    return { send: () => Promise.resolve({ recordedOnly: true }) };
  }
  return {
    send: () => Promise.reject(new PermanentDeliveryError('no SMTP server configured')),
  };
}

/** The secrets of the settings: never written to `last_error` or the logs. */
export function deliverySecrets(settings: DeliverySettings): string[] {
  if (!settings.smtp) return [];
  const secrets = [settings.smtp.url];
  try {
    const url = new URL(settings.smtp.url);
    if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    if (url.username) secrets.push(url.username, decodeURIComponent(url.username));
  } catch {
    // Validated by the config: a URL.
  }
  return secrets.filter((s) => s.length >= 4);
}
