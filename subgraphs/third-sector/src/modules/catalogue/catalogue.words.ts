import type { OfferCategoryValue, OfferTargetValue } from '../offer/offer.enums.js';

/**
 * The catalogue search's built-in Italian word lists (configuration, not code): stop words, the
 * words that name each category and each target group, and the synonyms and related words every
 * Comune's catalogue understands (a Comune adds its own: `catalogue_synonym`).
 *
 * Sources and reasons:
 * - STOP_WORDS: the Snowball project's Italian stop word list (snowballstem.org, the list
 *   PostgreSQL ships as `tsearch_data/italian.stop`), the one the SQL search used before the
 *   in-memory index, so that "corso per bambini" keeps meaning "corso bambini".
 * - CATEGORY_WORDS / TARGET_WORDS: the portal's Italian labels of the `OfferCategory` and
 *   `OfferTarget` values, plus the everyday word for each ("sport", "anziani"): a family types
 *   the name of what it wants, not the words a provider happened to write.
 * - BUILT_IN_SYNONYMS: the misses found by trying the catalogue as a family would (issue 18:
 *   "nuoto" against "piscina", "babysitter" against "Baby sitting a domicilio", "compiti"
 *   against "doposcuola" and "tutoraggio"), the services of the demo catalogue and of the
 *   Comuni's accreditation calls (Balestrate, Lecce), and common spellings of the same service.
 *   Each group is a set of words or short phrases (up to three words) that are all taken as
 *   alternatives of each other; a phrase matches an offer that has all of its words.
 */
export const STOP_WORDS: readonly string[] = `ad al allo ai agli all agl alla alle con col coi da
dal dallo dai dagli dall dagl dalla dalle di del dello dei degli dell degl della delle in nel nello
nei negli nell negl nella nelle su sul sullo sui sugli sull sugl sulla sulle per tra contro io tu
lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri
nostre vostro vostra vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perché
anche come dov dove che chi cui non più quale quanto quanti quanta quante quello quelli quella
quelle questo questi questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia
abbiate abbiano avrò avrai avrà avremo avrete avranno avrei avresti avrebbe avremmo avreste
avrebbero avevo avevi aveva avevamo avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi
avesse avessimo avessero avendo avuto avuta avuti avute sono sei è siamo siete sia siate siano
sarò sarai sarà saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era
eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo faccio
fai facciamo fanno faccia facciate facciano farò farai farà faremo farete faranno farei faresti
farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano feci facesti
fece facemmo faceste fecero facessi facesse facessimo facessero facendo sto stai sta stiamo
stanno stia stiate stiano starò starai starà staremo starete staranno starei staresti starebbe
staremmo stareste starebbero stavo stavi stava stavamo stavate stavano stetti stesti stette
stemmo steste stettero stessi stesse stessimo stessero stando`
  .split(/\s+/)
  .filter((w) => w !== '');

/** The words that name a category (searched like a title word, ranked just below it). */
export const CATEGORY_WORDS: Record<OfferCategoryValue, string> = {
  EDUCATION: 'istruzione educazione scuola studio',
  CHILDCARE: 'prima infanzia bambini piccoli',
  ELDERLY_CARE: 'anziani terza età',
  DISABILITY: 'disabilità disabili',
  HEALTH: 'salute',
  SPORT: 'sport sportivo',
  CULTURE: 'cultura culturale',
  EMPLOYMENT: 'lavoro formazione',
  HOME_SERVICES: 'servizi a domicilio casa',
  OTHER: '',
};

/** The words that name the people an offer is for (ranked like a category word). */
export const TARGET_WORDS: Record<OfferTargetValue, string> = {
  CHILDREN: 'bambini bambine bimbi',
  TEENAGERS: 'ragazzi ragazze adolescenti',
  YOUNG_ADULTS: 'giovani',
  FAMILIES: 'famiglie famiglia genitori',
  ADULTS: 'adulti',
  ELDERLY: 'anziani',
  PEOPLE_WITH_DISABILITIES: 'disabili disabilità',
  EVERYONE: '',
};

/** Groups of words or phrases taken as alternatives of each other in every catalogue. */
export const BUILT_IN_SYNONYMS: readonly (readonly string[])[] = [
  // Issue 18: "babysitter" missed "Baby sitting a domicilio".
  ['babysitter', 'baby sitter', 'baby sitting', 'babysitting', 'tata'],
  // Issue 18: "nuoto", the example under the search box, found nothing in the demo.
  ['nuoto', 'piscina', 'acquaticità', 'nuotare'],
  // Issue 18: homework help is offered as doposcuola, tutoring, ripetizioni.
  [
    'compiti',
    'doposcuola',
    'tutoraggio',
    'tutoring',
    'ripetizioni',
    'aiuto compiti',
    'sostegno scolastico',
  ],
  ['anziani', 'terza età', 'over 65', 'senior'],
  ['disabili', 'disabilità', 'handicap', 'inclusione'],
  ['nido', 'asilo nido', 'prima infanzia', 'baby parking'],
  ['psicologo', 'psicologico', 'psicologa', 'counseling', 'sostegno psicologico'],
  ['fisioterapia', 'fisioterapista', 'riabilitazione'],
  ['ginnastica', 'attività motoria', 'fitness', 'movimento'],
  ['calcio', 'pallone', 'football'],
  ['teatro', 'teatrale', 'recitazione'],
  ['musica', 'coro', 'canto', 'chitarra'],
  ['informatica', 'computer', 'pc', 'digitale'],
  ['lavoro', 'impiego', 'occupazione', 'orientamento'],
  ['spesa', 'alimentari'],
  ['pulizie', 'pulizia', 'colf'],
  ['riparazioni', 'manutenzione', 'manutenzioni'],
  ['trasporto', 'accompagnamento', 'navetta'],
  ['centro estivo', 'campo estivo', 'grest'],
  ['ludoteca', 'giochi', 'gioco'],
  ['inglese', 'english'],
  ['badante', 'assistenza domiciliare', 'assistente familiare'],
  ['vela', 'canoa', 'sport acquatici'],
  ['lettura', 'letture', 'libri', 'biblioteca'],
  ['banco alimentare', 'pacco alimentare', 'generi alimentari'],
  ['bonus', 'pratiche', 'patronato', 'isee', 'caf'],
  ['medico', 'visite mediche', 'dottore'],
  ['camminata', 'camminate', 'passeggiata', 'passeggiate', 'trekking'],
  ['pressione', 'screening', 'prevenzione'],
  ['stranieri', 'immigrati', 'migranti'],
];
