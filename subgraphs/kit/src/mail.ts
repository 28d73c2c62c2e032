import { createTransport, type NodemailerError, type Transporter } from 'nodemailer';

/** A refusal that retrying would get again (an address the server rejects, a bad number). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/** One e-mail of an outbox row. */
export interface Mail {
  /** The outbox row's id: the Message-ID is derived from it, so a receiver can spot a repeat. */
  id: string;
  recipient: string;
  subject: string;
  /** Plain text. */
  body: string;
}

/**
 * E-mail over SMTP (nodemailer, a pool of connections), shared by the subgraphs' outboxes. `url`
 * is `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://user:password@host:465`;
 * `from` the sender (`Comune <noreply@comune.example.it>`). `send` resolves with the server's
 * Message-ID; it rejects with `PermanentDeliveryError` when the server refuses the envelope or the
 * message for good (a 5xx but 503), and with the error itself otherwise (retry later: connection
 * and login problems are settings to fix).
 */
export class SmtpMailer {
  private readonly transporter: Transporter;
  private readonly domain: string;

  constructor(settings: { url: string; from: string; timeoutMs: number; maxConnections: number }) {
    this.transporter = createTransport(
      {
        url: settings.url,
        pool: true,
        maxConnections: settings.maxConnections,
        connectionTimeout: settings.timeoutMs,
        greetingTimeout: settings.timeoutMs,
        socketTimeout: settings.timeoutMs,
      },
      { from: settings.from },
    );
    this.domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'welfare.invalid';
  }

  async send(mail: Mail): Promise<{ providerId?: string }> {
    try {
      const info = (await this.transporter.sendMail({
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
        messageId: `<${mail.id}@${this.domain}>`,
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

/** The secrets in an `SMTP_URL` (the URL, its user and password): never in `last_error` or logs. */
export function smtpSecrets(smtpUrl: string): string[] {
  const secrets = [smtpUrl];
  try {
    const url = new URL(smtpUrl);
    if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
    if (url.username) secrets.push(url.username, decodeURIComponent(url.username));
  } catch {
    // Validated by the config: a URL.
  }
  return secrets;
}
