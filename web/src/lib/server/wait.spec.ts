import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';
import { waitMessage } from './wait';

describe('waitMessage', () => {
  it('says how long to wait, in both languages', () => {
    expect(waitMessage(m.login_rate_limited, 1)).toEqual({
      it: 'Troppi tentativi non riusciti da questa connessione: attendi 1 secondo prima di riprovare.',
      en: 'Too many failed attempts from this connection: wait 1 second before trying again.',
    });
    expect(waitMessage(m.login_rate_limited, 42).it).toContain('attendi 42 secondi');
    expect(waitMessage(m.login_rate_limited, 60).en).toContain('wait 1 minute before');
    expect(waitMessage(m.login_rate_limited, 61).it).toContain('attendi 2 minuti');
    expect(waitMessage(m.reset_request_rate_limited, 900).en).toContain('wait 15 minutes');
    expect(waitMessage(m.login_rate_limited, undefined).it).toContain('attendi 1 minuto');
  });
});
