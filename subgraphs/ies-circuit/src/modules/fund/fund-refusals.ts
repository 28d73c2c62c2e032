import { fundRefusals } from '@welfare/kit/contracts';

/** The refusals of the IES fund, in Italian and English. */
export const refusals = fundRefusals({
  notCovered: {
    it: 'Gli IES non possono pagare questo servizio: l’ente non li accetta nel tuo circuito.',
    en: 'IES cannot pay for this service: the provider does not accept them in your circuit.',
  },
  insufficient: {
    it: 'IES insufficienti per questo importo (commissione del circuito compresa).',
    en: 'Not enough IES for this amount (the circuit’s fee included).',
  },
  holdExpired: {
    it: 'La prenotazione degli IES è scaduta: sono di nuovo disponibili.',
    en: 'The hold has expired: the IES are available again.',
  },
  holdClosed: {
    it: 'La prenotazione degli IES è già stata chiusa.',
    en: 'The hold has already been closed.',
  },
  nothingHeld: { it: 'Nessun IES prenotato per questa voce.', en: 'No IES are held for this leg.' },
  providerGone: {
    it: 'Il portafoglio IES dell’ente non ha più questo importo da restituire.',
    en: 'The provider’s IES wallet no longer holds this amount to give back.',
  },
});
