import { INCOME_HEADER, REGISTRY_HEADER, csv } from './helpers.js';

/** Valid codici fiscali (born in Balestrate), computed with codice-fiscale-js. */
export const CF = {
  mario: 'RSSMRA80A01A592B',
  anna: 'BNCNNA82H55A592E',
  luca: 'RSSLCU15C03A592O',
  rosa: 'VRDRSO50B42A592W',
  pietro: 'VRDPTR48P09A592S',
  sara: 'NRESRA95E45A592V',
  gino: 'NREGNI20L07A592D',
  carla: 'RSSCRL70T52A592X',
};

/**
 * Four households: F001 (3 members, a minor with a disability), F002 (2 elderly), F003 (a parent
 * and a minor), F004 (one person, not resident).
 */
export const REGISTRY_LINES = [
  REGISTRY_HEADER,
  `F001;${CF.mario};Rossi;Mario;01/01/1980;M;INTESTATARIO;Via Roma 1;SI;NO`,
  `F001;${CF.anna.toLowerCase()};Bianchi;Anna;15/06/1982;F;coniuge;Via Roma 1;SI;`,
  `F001;${CF.luca};Rossi;Luca;03/03/2015;M;FIGLIO;Via Roma 1;SI;SI`,
  `F002;${CF.rosa};Verdi;Rosa;02/02/1950;F;INTESTATARIO;"Via Mazzini 2; interno 3";SI;NO`,
  `F002;${CF.pietro};Verdi;Pietro;09/09/1948;M;CONIUGE;"Via Mazzini 2; interno 3";SI;NO`,
  `F003;${CF.sara};Neri;Sara;05/05/1995;F;INTESTATARIO;Piazza Matrice 5;SI;NO`,
  `F003;${CF.gino};Neri;Gino;07/07/2020;M;FIGLIO;Piazza Matrice 5;SI;NO`,
  `F004;${CF.carla};Russo;Carla;12/12/1970;F;INTESTATARIO;Via Trapani 9;NO;NO`,
];
export const REGISTRY = csv(REGISTRY_LINES);

/** Declarations for F001 (12.345,67 €), F002 (8.000 €, support) and F003 (4.500,50 €, support). */
export const INCOME_LINES = [
  INCOME_HEADER,
  `${CF.mario};12.345,67;ORDINARIO;31/12/2026;NO`,
  `${CF.rosa};8000;SOCIOSANITARIO;31/12/2026;SI`,
  `${CF.sara};4.500,5;minorenni;31/12/2026;SI`,
];
export const INCOME = csv(INCOME_LINES);
