import { fundRefusals } from '@welfare/kit/contracts';

/** The refusals of the fund contract, in the words of a welfare plan (Italian and English). */
export const refusals = fundRefusals({
  notCovered: {
    it: 'Il credito del piano welfare non può pagare questo servizio.',
    en: 'The welfare plan credit cannot pay for this service.',
  },
  insufficient: {
    it: 'Credito del piano welfare insufficiente per questo importo.',
    en: 'Not enough welfare plan credit for this amount.',
  },
  holdExpired: {
    it: 'La prenotazione del credito è scaduta: il credito è di nuovo disponibile.',
    en: 'The hold has expired: the credit is available again.',
  },
  holdClosed: {
    it: 'La prenotazione del credito è già stata chiusa.',
    en: 'The hold has already been closed.',
  },
  nothingHeld: {
    it: 'Nessun credito prenotato per questa voce.',
    en: 'No credit is held for this leg.',
  },
  providerGone: {
    it: 'L’azienda ha già pagato questo importo all’ente: il credito non può tornare al piano da qui.',
    en: 'The employer has already paid this amount to the provider: the credit cannot go back to the plan from here.',
  },
});
