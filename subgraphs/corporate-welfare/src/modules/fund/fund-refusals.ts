import { fundRefusals } from '@welfare/kit/contracts';

/**
 * The refusals of the fund contract, in the words of a welfare plan (Italian and English); those
 * about the hold are the kit's words for a credit.
 */
export const refusals = fundRefusals({
  notCovered: {
    it: 'Il credito del piano welfare non può pagare questo servizio.',
    en: 'The welfare plan credit cannot pay for this service.',
  },
  insufficient: {
    it: 'Credito del piano welfare insufficiente per questo importo.',
    en: 'Not enough welfare plan credit for this amount.',
  },
  providerGone: {
    it: 'L’azienda ha già pagato questo importo all’ente: il credito non può tornare al piano da qui.',
    en: 'The employer has already paid this amount to the provider: the credit cannot go back to the plan from here.',
  },
});
