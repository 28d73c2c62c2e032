import type { EntityManager } from '@mikro-orm/postgresql';
import type { PersonCaller } from '@welfare/kit';
import { Offer } from '../modules/offer/offer.entity.js';
import type { OfferData, OfferPlaceData } from '../modules/offer/offer.service.js';
import type { Services } from '../services.js';

/** Demo places in Balestrate (PA). */
const P = {
  biblioteca: {
    name: 'Biblioteca comunale',
    address: 'Via Vittorio Emanuele 45',
    municipality: 'Balestrate',
    latitude: 38.0512,
    longitude: 13.0063,
  },
  centroSociale: {
    name: 'Centro sociale polivalente',
    address: 'Via Palermo 20',
    municipality: 'Balestrate',
    latitude: 38.0489,
    longitude: 13.0091,
  },
  laEsse: {
    name: 'Sede Cooperativa La Esse',
    address: 'Via Marsala 8',
    municipality: 'Balestrate',
    latitude: 38.0503,
    longitude: 13.0027,
  },
  palestra: {
    name: 'Palestra comunale',
    address: 'Via Sicilia 3',
    municipality: 'Balestrate',
    latitude: 38.0478,
    longitude: 13.0042,
  },
  lungomare: {
    name: 'Lungomare Lido Pizzo',
    address: 'Lungomare Lido Pizzo',
    municipality: 'Balestrate',
    latitude: 38.0531,
    longitude: 13.0104,
  },
  parrocchia: {
    name: 'Oratorio della Chiesa Madre',
    address: 'Piazza Matrice 1',
    municipality: 'Balestrate',
    latitude: 38.0509,
    longitude: 13.0071,
  },
  amici: {
    name: 'Sede Associazione Amici di Balestrate',
    address: 'Corso Italia 55',
    municipality: 'Balestrate',
    latitude: 38.0496,
    longitude: 13.0055,
  },
  domicilio: {
    name: 'A domicilio',
    address: 'Presso l’abitazione della persona, in tutto il territorio comunale',
    municipality: 'Balestrate',
    latitude: null,
    longitude: null,
  },
} satisfies Record<string, OfferPlaceData>;

type Slot = OfferData['schedule'][number];
const slot = (weekday: number, startTime: string, endTime: string): Slot => ({
  weekday,
  startTime,
  endTime,
});
const weekdays = (startTime: string, endTime: string) =>
  [1, 2, 3, 4, 5].map((d) => slot(d, startTime, endTime));

type DemoOffer = Omit<OfferData, 'contactEmail' | 'contactPhone' | 'contactWebsite'> & {
  provider: 'laEsse' | 'amici' | 'girasole';
  publish: boolean;
};

const free = { priceKind: 'FREE', priceCents: null } as const;
const group = (capacity: number) => ({ format: 'GROUP', capacity }) as const;
const individual = { format: 'INDIVIDUAL', capacity: 1 } as const;

/** About thirty realistic offers: La Esse and Amici (published), Il Girasole (drafts only). */
export const DEMO_OFFERS: DemoOffer[] = [
  {
    provider: 'laEsse',
    publish: true,
    title: 'Doposcuola e aiuto compiti',
    description:
      'Sostegno allo studio per alunni della scuola primaria e secondaria di primo grado: compiti, metodo di studio e lezioni di recupero in piccoli gruppi con educatori.',
    category: 'EDUCATION',
    targets: ['CHILDREN', 'TEENAGERS'],
    ...free,
    ...group(12),
    places: [P.biblioteca],
    schedule: [slot(1, '15:00', '18:00'), slot(3, '15:00', '18:00'), slot(5, '15:00', '18:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Lezioni di matematica individuali',
    description:
      'Lezioni individuali di matematica per la scuola secondaria, in preparazione a verifiche ed esami, con un tutor laureato.',
    category: 'EDUCATION',
    targets: ['TEENAGERS'],
    priceKind: 'PER_HOUR',
    priceCents: 1800,
    ...individual,
    places: [P.laEsse],
    schedule: [slot(2, '15:00', '19:00'), slot(4, '15:00', '19:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Italiano per stranieri',
    description:
      'Corso di lingua italiana per adulti di origine straniera, livelli A1 e A2, con attestato di frequenza.',
    category: 'EDUCATION',
    targets: ['ADULTS'],
    ...free,
    ...group(15),
    places: [P.centroSociale],
    schedule: [slot(2, '18:00', '20:00'), slot(4, '18:00', '20:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Nido in famiglia',
    description:
      'Servizio educativo per bambini da 12 a 36 mesi in un ambiente familiare, con educatrici qualificate e merenda inclusa.',
    category: 'CHILDCARE',
    targets: ['CHILDREN', 'FAMILIES'],
    priceKind: 'PER_PACKAGE',
    priceCents: 25000,
    packageDescription: 'Un mese di frequenza, dal lunedì al venerdì, mattina',
    ...group(6),
    places: [P.laEsse],
    schedule: weekdays('08:00', '13:00'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Baby sitting a domicilio',
    description:
      'Assistenza ai bambini a casa con personale formato, anche nel fine settimana, su prenotazione.',
    category: 'CHILDCARE',
    targets: ['CHILDREN', 'FAMILIES'],
    priceKind: 'PER_HOUR',
    priceCents: 1000,
    ...individual,
    places: [P.domicilio],
    schedule: [],
    scheduleNotes: 'Su appuntamento, tutti i giorni dalle 8 alle 22.',
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Centro estivo per bambini',
    description:
      'Giochi, laboratori creativi, mare e attività all’aperto per bambini dai 6 agli 11 anni nei mesi di luglio e agosto.',
    category: 'CHILDCARE',
    targets: ['CHILDREN'],
    priceKind: 'PER_PACKAGE',
    priceCents: 8000,
    packageDescription: 'Una settimana, dal lunedì al venerdì, 8:30–13:30',
    ...group(30),
    places: [P.lungomare, P.parrocchia],
    schedule: weekdays('08:30', '13:30'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Assistenza domiciliare anziani',
    description:
      'Aiuto nelle attività quotidiane, igiene personale, spesa e commissioni per persone anziane non autosufficienti.',
    category: 'ELDERLY_CARE',
    targets: ['ELDERLY'],
    priceKind: 'PER_HOUR',
    priceCents: 1650,
    ...individual,
    places: [P.domicilio],
    schedule: weekdays('08:00', '14:00'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Centro diurno per anziani',
    description:
      'Attività di socializzazione, ginnastica dolce, laboratori di memoria e pranzo in compagnia per persone anziane.',
    category: 'ELDERLY_CARE',
    targets: ['ELDERLY'],
    priceKind: 'PER_SESSION',
    priceCents: 500,
    ...group(25),
    places: [P.centroSociale],
    schedule: weekdays('09:00', '13:00'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Assistenza educativa scolastica',
    description:
      'Educatori a supporto di alunni con disabilità durante le attività scolastiche ed extrascolastiche.',
    category: 'DISABILITY',
    targets: ['PEOPLE_WITH_DISABILITIES', 'CHILDREN', 'TEENAGERS'],
    ...free,
    ...individual,
    places: [P.laEsse],
    schedule: weekdays('08:00', '14:00'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Laboratorio di autonomia per ragazzi con disabilità',
    description:
      'Percorsi di autonomia personale: cucina, uso del denaro, spostamenti in paese, in piccoli gruppi con educatori.',
    category: 'DISABILITY',
    targets: ['PEOPLE_WITH_DISABILITIES', 'YOUNG_ADULTS'],
    ...free,
    ...group(6),
    places: [P.laEsse],
    schedule: [slot(2, '15:00', '18:00'), slot(4, '15:00', '18:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Sportello psicologico per famiglie',
    description:
      'Colloqui di sostegno psicologico per genitori e ragazzi, riservati, con psicologi iscritti all’albo.',
    category: 'HEALTH',
    targets: ['FAMILIES', 'TEENAGERS'],
    priceKind: 'PER_SESSION',
    priceCents: 3500,
    ...individual,
    places: [P.laEsse],
    schedule: [slot(3, '16:00', '19:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Orientamento al lavoro per giovani',
    description:
      'Bilancio delle competenze, scrittura del curriculum, simulazione di colloqui e ricerca di tirocini.',
    category: 'EMPLOYMENT',
    targets: ['YOUNG_ADULTS'],
    ...free,
    ...group(10),
    places: [P.centroSociale],
    schedule: [slot(1, '10:00', '12:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Corso base di informatica',
    description:
      'Uso del computer, posta elettronica, SPID e servizi online della pubblica amministrazione.',
    category: 'EMPLOYMENT',
    targets: ['ADULTS', 'ELDERLY'],
    priceKind: 'PER_PACKAGE',
    priceCents: 6000,
    packageDescription: '8 incontri di due ore',
    ...group(12),
    places: [P.biblioteca],
    schedule: [slot(2, '10:00', '12:00'), slot(4, '10:00', '12:00')],
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Pulizie e piccole riparazioni a domicilio',
    description:
      'Pulizie domestiche, piccola manutenzione e commissioni per anziani e famiglie, con operatori della cooperativa.',
    category: 'HOME_SERVICES',
    targets: ['ELDERLY', 'FAMILIES'],
    priceKind: 'PER_HOUR',
    priceCents: 1500,
    ...individual,
    places: [P.domicilio],
    schedule: weekdays('08:00', '13:00'),
  },
  {
    provider: 'laEsse',
    publish: true,
    title: 'Consegna della spesa e dei farmaci',
    description: 'Consegna a casa di spesa e farmaci per persone anziane o con ridotta mobilità.',
    category: 'HOME_SERVICES',
    targets: ['ELDERLY', 'PEOPLE_WITH_DISABILITIES'],
    priceKind: 'PER_SESSION',
    priceCents: 300,
    ...individual,
    places: [P.domicilio],
    schedule: [slot(2, '09:00', '12:00'), slot(5, '09:00', '12:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Scuola di calcio per ragazzi',
    description:
      'Allenamenti di calcio per ragazzi dai 6 ai 14 anni con istruttori federali, partite amichevoli il sabato.',
    category: 'SPORT',
    targets: ['CHILDREN', 'TEENAGERS'],
    priceKind: 'PER_PACKAGE',
    priceCents: 3000,
    packageDescription: 'Quota mensile, due allenamenti a settimana',
    ...group(25),
    places: [P.palestra],
    schedule: [slot(2, '16:30', '18:00'), slot(4, '16:30', '18:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Ginnastica dolce per over 65',
    description:
      'Esercizi di mobilità, equilibrio e respirazione per persone anziane, con istruttrice laureata in scienze motorie.',
    category: 'SPORT',
    targets: ['ELDERLY'],
    priceKind: 'PER_SESSION',
    priceCents: 400,
    ...group(20),
    places: [P.palestra],
    schedule: [slot(1, '09:30', '10:30'), slot(3, '09:30', '10:30'), slot(5, '09:30', '10:30')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Camminate sul lungomare',
    description:
      'Gruppo di cammino aperto a tutti, lungo il mare di Balestrate, con un accompagnatore volontario.',
    category: 'SPORT',
    targets: ['EVERYONE'],
    ...free,
    ...group(40),
    places: [P.lungomare],
    schedule: [slot(2, '07:30', '08:30'), slot(6, '08:00', '09:30')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Vela e canoa per ragazzi',
    description:
      'Corso estivo di avviamento alla vela e alla canoa con istruttori qualificati e attrezzatura fornita.',
    category: 'SPORT',
    targets: ['TEENAGERS'],
    priceKind: 'PER_PACKAGE',
    priceCents: 12000,
    packageDescription: '10 uscite in mare',
    ...group(10),
    places: [P.lungomare],
    schedule: [slot(6, '09:00', '12:00'), slot(7, '09:00', '12:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Laboratorio di teatro',
    description:
      'Laboratorio teatrale per ragazzi e adulti con spettacolo finale in piazza a fine anno.',
    category: 'CULTURE',
    targets: ['TEENAGERS', 'ADULTS'],
    priceKind: 'PER_PACKAGE',
    priceCents: 9000,
    packageDescription: 'Trimestre, un incontro a settimana',
    ...group(20),
    places: [P.parrocchia],
    schedule: [slot(5, '18:00', '20:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Letture animate in biblioteca',
    description: 'Letture ad alta voce e laboratori per bambini da 3 a 8 anni, con i genitori.',
    category: 'CULTURE',
    targets: ['CHILDREN', 'FAMILIES'],
    ...free,
    ...group(20),
    places: [P.biblioteca],
    schedule: [slot(6, '10:30', '12:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Coro popolare',
    description: 'Canti della tradizione siciliana, aperto a ogni età, senza esperienza richiesta.',
    category: 'CULTURE',
    targets: ['EVERYONE'],
    ...free,
    ...group(50),
    places: [P.amici],
    schedule: [slot(3, '20:30', '22:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Corso di chitarra',
    description: 'Lezioni di chitarra per principianti, in gruppi di quattro allievi.',
    category: 'CULTURE',
    targets: ['TEENAGERS', 'ADULTS'],
    priceKind: 'PER_HOUR',
    priceCents: 1200,
    ...group(4),
    places: [P.amici],
    schedule: [slot(2, '17:00', '20:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Compagnia telefonica per anziani soli',
    description:
      'Volontari che telefonano ogni settimana a persone anziane che vivono sole, per fare due chiacchiere e raccogliere bisogni.',
    category: 'ELDERLY_CARE',
    targets: ['ELDERLY'],
    ...free,
    ...individual,
    places: [P.amici],
    schedule: weekdays('10:00', '12:00'),
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Accompagnamento a visite mediche',
    description:
      'Trasporto e accompagnamento a visite ed esami a Partinico e Palermo per chi non può spostarsi da solo.',
    category: 'HEALTH',
    targets: ['ELDERLY', 'PEOPLE_WITH_DISABILITIES'],
    priceKind: 'PER_SESSION',
    priceCents: 1000,
    ...individual,
    places: [P.amici],
    schedule: [],
    scheduleNotes: 'Su prenotazione, con almeno tre giorni di anticipo.',
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Screening della pressione in piazza',
    description:
      'Misurazione gratuita della pressione e consigli di prevenzione con volontari sanitari.',
    category: 'HEALTH',
    targets: ['ADULTS', 'ELDERLY'],
    ...free,
    ...group(30),
    places: [P.parrocchia],
    schedule: [slot(7, '10:00', '12:30')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Sportello di aiuto per pratiche e bonus',
    description:
      'Aiuto nella compilazione di domande per bonus, ISEE e servizi comunali, con volontari formati.',
    category: 'OTHER',
    targets: ['FAMILIES', 'ELDERLY'],
    ...free,
    ...individual,
    places: [P.amici],
    schedule: [slot(1, '16:00', '18:00'), slot(4, '16:00', '18:00')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Sport integrato per persone con disabilità',
    description:
      'Attività motoria e sportiva integrata per ragazzi e adulti con disabilità insieme ai coetanei.',
    category: 'DISABILITY',
    targets: ['PEOPLE_WITH_DISABILITIES'],
    ...free,
    ...group(12),
    places: [P.palestra],
    schedule: [slot(3, '17:00', '18:30')],
  },
  {
    provider: 'amici',
    publish: true,
    title: 'Banco alimentare solidale',
    description:
      'Distribuzione di pacchi alimentari a famiglie in difficoltà segnalate dai servizi sociali.',
    category: 'OTHER',
    targets: ['FAMILIES'],
    ...free,
    ...individual,
    places: [P.amici],
    schedule: [slot(6, '09:00', '11:00')],
  },
  {
    provider: 'girasole',
    publish: false,
    title: 'Ludoteca del Girasole',
    description: 'Giochi e laboratori per bambini nel pomeriggio, in attesa dell’accreditamento.',
    category: 'CHILDCARE',
    targets: ['CHILDREN'],
    priceKind: 'PER_HOUR',
    priceCents: 500,
    ...group(15),
    places: [P.centroSociale],
    schedule: [slot(3, '16:00', '19:00')],
  },
  {
    provider: 'girasole',
    publish: false,
    title: 'Doposcuola del Girasole',
    description: 'Aiuto compiti per la scuola primaria, in attesa dell’accreditamento.',
    category: 'EDUCATION',
    targets: ['CHILDREN'],
    ...free,
    ...group(10),
    places: [P.centroSociale],
    schedule: [slot(2, '15:00', '17:00')],
  },
];

/** The deterministic id of the i-th demo offer. */
export function demoOfferId(index: number): string {
  return `0b7c2d1e-0000-4000-8f00-000000000${index.toString(16).padStart(3, '0')}`;
}

const CONTACTS = {
  laEsse: {
    contactEmail: 'servizi@coop-laesse.example.it',
    contactPhone: '+39 091 8787001',
    contactWebsite: 'https://www.coop-laesse.example.it',
  },
  amici: {
    contactEmail: 'info@amicidibalestrate.example.it',
    contactPhone: '+39 091 8787002',
    contactWebsite: null,
  },
  girasole: {
    contactEmail: 'info@ilgirasole.example.it',
    contactPhone: null,
    contactWebsite: null,
  },
} as const;

/**
 * The demo offers, idempotently, through the offer service: created (deterministic ids) and,
 * for the accredited providers, published. Offers that exist are left as they are.
 */
export async function loadDemoOffers(
  em: EntityManager,
  services: Services,
  comuneId: string,
  admins: Record<DemoOffer['provider'], { providerId: string; admin: PersonCaller }>,
): Promise<void> {
  for (const [index, demo] of DEMO_OFFERS.entries()) {
    const id = demoOfferId(index + 1);
    if (await em.fork().count(Offer, { id })) continue;
    const { provider, publish, ...data } = demo;
    const { providerId, admin } = admins[provider];
    await services.offers.create(
      em.fork(),
      admin,
      providerId,
      comuneId,
      { ...data, ...CONTACTS[provider] },
      id,
    );
    // Published only while the provider is accredited (a demo database may have changed since).
    if (publish && (await services.accreditations.isAccredited(em.fork(), providerId, comuneId))) {
      await services.offers.publish(em.fork(), admin, id);
    }
  }
}
