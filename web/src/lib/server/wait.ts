// "Wait N minutes" texts for RATE_LIMITED answers. Unit-tested in wait.spec.ts.
import type { Locale, Localized } from '$lib/locale';
import { m } from '$lib/paraglide/messages';

/** How long to wait, in words: seconds under a minute, else minutes rounded up. */
function waitText(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) {
    return s === 1
      ? m.wait_seconds_one({}, { locale })
      : m.wait_seconds({ count: String(s) }, { locale });
  }
  const minutes = Math.ceil(s / 60);
  return minutes === 1
    ? m.wait_minutes_one({}, { locale })
    : m.wait_minutes({ count: String(minutes) }, { locale });
}

type WaitMessage = (inputs: { wait: string }, options: { locale: Locale }) => string;

/** A RATE_LIMITED message in both languages, saying how long to wait (a minute when unknown). */
export function waitMessage(
  message: WaitMessage,
  retryAfterSeconds: number | undefined,
): Localized {
  const seconds = retryAfterSeconds ?? 60;
  return {
    it: message({ wait: waitText(seconds, 'it') }, { locale: 'it' }),
    en: message({ wait: waitText(seconds, 'en') }, { locale: 'en' }),
  };
}
