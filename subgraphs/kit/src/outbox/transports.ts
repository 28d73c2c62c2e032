import { PermanentDeliveryError, SmtpMailer, smtpSecrets } from '../mail.js';

/** The channels of an outbox. */
export const MESSAGE_CHANNELS = ['EMAIL', 'SMS', 'PORTAL'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Where an outbox message is: PENDING until delivered (SENT) or given up (FAILED). */
export const MESSAGE_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What a transport needs of an outbox row. */
export interface OutgoingMessage {
  id: string;
  comuneId: string;
  channel: MessageChannel;
  /** EMAIL: an address; SMS: an E.164 number; PORTAL: the recipient's key in the portal (a codice fiscale hash, a person id). */
  recipient: string;
  subject: string;
  /** Italian first, then English. */
  body: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** What a transport reports for a message it delivered (or handed to its provider). */
export interface DeliveryReceipt {
  /** The provider's id of the message (SMTP Message-ID, SMS provider id), for the logs. */
  providerId?: string;
  /** A note kept on the row (`last_error`) although the message counts as sent. */
  note?: string;
}

/**
 * Delivers messages of one channel. `send` resolves when the message was accepted (SENT) and
 * rejects to have it retried later, or with `PermanentDeliveryError` to mark it FAILED at once.
 */
export interface MessageTransport {
  readonly channel: MessageChannel;
  send(message: OutgoingMessage): Promise<DeliveryReceipt>;
  /** Releases connections (shutdown). */
  close?(): Promise<void>;
}

export { PermanentDeliveryError } from '../mail.js';

/** Delivery settings, validated by the subgraph's config (`SMTP_*`, `SMS_*`). */
export interface MessageDeliverySettings {
  /** EMAIL over SMTP; null when not configured. */
  smtp: { url: string; from: string } | null;
  /** SMS through the HTTP provider adapter; null when not configured. */
  sms: { url: string; apiKey: string; sender: string | null } | null;
  /**
   * What happens to EMAIL/SMS messages of a channel that is not configured: `outbox` marks them
   * SENT with a note (the embedded demo run: visible in the portal, never delivered);
   * `fail` marks them FAILED (production: nothing pretends to have been delivered).
   */
  unconfigured: 'outbox' | 'fail';
  /** Longest wait for one delivery, in ms. */
  sendTimeoutMs: number;
}

/**
 * EMAIL over SMTP (nodemailer, a pool of up to 5 connections). `SMTP_URL` is
 * `smtp://user:password@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:password@host:465`; `SMTP_FROM` the sender (`Comune <noreply@comune.example.it>`).
 * The Message-ID is derived from the outbox row id, so a receiver can recognise a repeat.
 */
export class SmtpTransport implements MessageTransport {
  readonly channel = 'EMAIL' as const;
  private readonly mailer: SmtpMailer;

  constructor(settings: { url: string; from: string; timeoutMs: number }) {
    this.mailer = new SmtpMailer({ ...settings, maxConnections: 5 });
  }

  send(message: OutgoingMessage): Promise<DeliveryReceipt> {
    return this.mailer.send(message);
  }

  close(): Promise<void> {
    return this.mailer.close();
  }
}

/**
 * SMS through a provider, by a small generic HTTP contract that an adapter in front of the
 * chosen provider implements:
 *
 * `POST SMS_PROVIDER_URL` with headers `Content-Type: application/json`,
 * `Authorization: Bearer SMS_API_KEY` and `Idempotency-Key: <message id>`, and the body
 * `{"to": "+393331234567", "text": "…", "reference": "<message id>", "sender": "Comune"}`
 * (`sender` only when `SMS_SENDER` is set). The same `reference` may arrive more than once
 * (a retry after a lost answer): the provider sends it once.
 *
 * Answers: any 2xx accepts the message, optionally with `{"id": "<provider id>"}`; 408, 429 and
 * 5xx (and no answer within the timeout) are retried with backoff; any other 4xx refuses the
 * message for good (FAILED at once, e.g. an invalid number).
 */
export class SmsTransport implements MessageTransport {
  readonly channel = 'SMS' as const;

  constructor(
    private readonly settings: {
      url: string;
      apiKey: string;
      sender: string | null;
      timeoutMs: number;
    },
  ) {}

  async send(message: OutgoingMessage): Promise<DeliveryReceipt> {
    const response = await fetch(this.settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.settings.apiKey}`,
        'idempotency-key': message.id,
      },
      body: JSON.stringify({
        to: message.recipient,
        text: message.body,
        reference: message.id,
        ...(this.settings.sender ? { sender: this.settings.sender } : {}),
      }),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    const text = await response.text().catch(() => '');
    if (response.ok) {
      const id = providerIdOf(text);
      return id ? { providerId: id } : {};
    }
    const detail = `SMS provider answered ${response.status}: ${text.slice(0, 200)}`;
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    if (retryable) throw new Error(detail);
    throw new PermanentDeliveryError(detail);
  }
}

function providerIdOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && 'id' in value) {
      const id = value.id;
      if (typeof id === 'string' || typeof id === 'number') return String(id);
    }
  } catch {
    // An answer without a JSON body is still an acceptance.
  }
  return undefined;
}

/**
 * PORTAL: the row itself is the delivery. Once SENT it shows in the citizen's "I miei messaggi"
 * (found by the codice fiscale hash in `recipient`).
 */
export class PortalTransport implements MessageTransport {
  readonly channel = 'PORTAL' as const;

  send(): Promise<DeliveryReceipt> {
    return Promise.resolve({});
  }
}

/** The note kept on messages the embedded run did not deliver. */
export const NOT_DELIVERED_NOTE = 'embedded: not delivered';

/**
 * For a channel with no provider configured in the embedded demo run: marks the message SENT
 * with the note `embedded: not delivered`, so it can be read in the portal's sent messages.
 */
export class OutboxOnlyTransport implements MessageTransport {
  constructor(readonly channel: MessageChannel) {}

  send(): Promise<DeliveryReceipt> {
    return Promise.resolve({ note: NOT_DELIVERED_NOTE });
  }
}

/** For a channel with no provider configured in production: the message FAILS, visibly. */
export class UnconfiguredTransport implements MessageTransport {
  constructor(readonly channel: MessageChannel) {}

  send(): Promise<DeliveryReceipt> {
    return Promise.reject(new PermanentDeliveryError(`no ${this.channel} provider configured`));
  }
}

/** One transport per channel, from the settings. */
export function createTransports(
  settings: MessageDeliverySettings,
): Record<MessageChannel, MessageTransport> {
  const missing = (channel: MessageChannel) =>
    settings.unconfigured === 'outbox'
      ? new OutboxOnlyTransport(channel)
      : new UnconfiguredTransport(channel);
  return {
    EMAIL: settings.smtp
      ? new SmtpTransport({ ...settings.smtp, timeoutMs: settings.sendTimeoutMs })
      : missing('EMAIL'),
    SMS: settings.sms
      ? new SmsTransport({ ...settings.sms, timeoutMs: settings.sendTimeoutMs })
      : missing('SMS'),
    PORTAL: new PortalTransport(),
  };
}

/** The secrets of the settings: never written to `last_error` or the logs. */
export function deliverySecrets(settings: MessageDeliverySettings): string[] {
  const secrets: string[] = [];
  if (settings.smtp) secrets.push(...smtpSecrets(settings.smtp.url));
  if (settings.sms) secrets.push(settings.sms.apiKey, settings.sms.url);
  return secrets.filter((s) => s.length >= 4);
}
