import pg from 'pg';
import { DEMO_COMUNE_ID, DEMO_ORG } from './demo.js';

/** Identity's demo ids: the Comune and its two accredited providers (third-sector demo data). */
const COMUNE = DEMO_COMUNE_ID;
const PROVIDERS = [DEMO_ORG.laEsse, DEMO_ORG.amiciBalestrate];

/**
 * 10,000 published offers of the accredited demo providers, with Italian titles and descriptions
 * drawn from a few dozen services, one place in one of five municipalities and one or two weekly
 * slots: the shape of a province-wide catalogue. Written with set-based SQL (the subgraph's
 * triggers fill the municipalities and weekdays the filters use).
 */
export async function seedOffers(databaseUrl: string, count: number): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('begin');
    await db.query(
      `create temporary table service (n int, title text, category text, words text) on commit drop`,
    );
    await db.query(`insert into service values
      (0, 'Doposcuola e aiuto compiti', 'EDUCATION', 'lezioni, compiti, scuola primaria e media, metodo di studio'),
      (1, 'Ripetizioni di matematica', 'EDUCATION', 'lezioni individuali di matematica e fisica per le superiori'),
      (2, 'Corso di inglese', 'EDUCATION', 'lezioni di lingua inglese, conversazione e certificazioni'),
      (3, 'Baby parking', 'CHILDCARE', 'accoglienza di bambini da 1 a 6 anni con educatrici qualificate'),
      (4, 'Ludoteca del pomeriggio', 'CHILDCARE', 'giochi, laboratori creativi e merenda per bambini'),
      (5, 'Assistenza domiciliare anziani', 'ELDERLY_CARE', 'aiuto quotidiano a casa, compagnia, spesa e farmaci'),
      (6, 'Centro diurno per anziani', 'ELDERLY_CARE', 'attività motorie, socialità e pranzo in compagnia'),
      (7, 'Centro diurno disabili', 'DISABILITY', 'laboratori, autonomia personale e inclusione sociale'),
      (8, 'Trasporto sociale', 'DISABILITY', 'accompagnamento a visite mediche e terapie con mezzi attrezzati'),
      (9, 'Fisioterapia a domicilio', 'HEALTH', 'riabilitazione motoria e posturale con fisioterapisti'),
      (10, 'Sportello psicologico', 'HEALTH', 'colloqui di sostegno psicologico per famiglie e ragazzi'),
      (11, 'Corso di nuoto', 'SPORT', 'nuoto per bambini e adulti in piscina comunale'),
      (12, 'Ginnastica dolce', 'SPORT', 'attività fisica leggera per la terza età'),
      (13, 'Laboratorio teatrale', 'CULTURE', 'teatro, espressione corporea e spettacolo finale'),
      (14, 'Visite guidate al museo', 'CULTURE', 'percorsi culturali e storia del territorio'),
      (15, 'Orientamento al lavoro', 'EMPLOYMENT', 'curriculum, colloqui, tirocini e ricerca attiva di lavoro'),
      (16, 'Corso di informatica di base', 'EMPLOYMENT', 'computer, posta elettronica e servizi pubblici digitali'),
      (17, 'Pulizie domestiche', 'HOME_SERVICES', 'pulizia della casa e piccole commissioni'),
      (18, 'Piccole manutenzioni', 'HOME_SERVICES', 'riparazioni domestiche e giardinaggio'),
      (19, 'Banco alimentare solidale', 'OTHER', 'distribuzione di generi alimentari alle famiglie')`);
    await db.query(
      `insert into third_sector.offer (id, provider_id, comune_id, title, description, category,
         targets, price_kind, price_cents, format, capacity, status, contact_email, published_at,
         created_by)
       select gen_random_uuid(), ($2::uuid[])[1 + g % 2], $3::uuid,
         s.title || ' ' || (array['per bambini', 'per ragazzi', 'per adulti', 'a domicilio',
           'in gruppo', 'serale', 'estivo', 'del sabato'])[1 + (g / 20) % 8] || ' n. ' || g,
         'Servizio di ' || lower(s.title) || ': ' || s.words || '. Zona ' ||
           (array['centro', 'mare', 'collina', 'stazione'])[1 + g % 4] || '.',
         s.category, array[(array['CHILDREN', 'TEENAGERS', 'FAMILIES', 'ADULTS', 'ELDERLY',
           'PEOPLE_WITH_DISABILITIES', 'EVERYONE'])[1 + g % 7]],
         (array['FREE', 'PER_HOUR', 'PER_SESSION', 'PER_PACKAGE'])[1 + g % 4],
         case when g % 4 = 0 then null else 500 + (g % 40) * 125 end,
         case when g % 3 = 0 then 'INDIVIDUAL' else 'GROUP' end,
         case when g % 3 = 0 then 1 else 2 + g % 20 end,
         'PUBLISHED', 'info' || g || '@ente.example', now(), ($2::uuid[])[1 + g % 2]
       from generate_series(1, $1::int) g join service s on s.n = g % 20`,
      [count, PROVIDERS, COMUNE],
    );
    await db.query(
      `insert into third_sector.offer_place (id, offer_id, position, name, address, municipality,
         latitude, longitude)
       select gen_random_uuid(), o.id, 0, 'Sede', 'Via Roma ' || (1 + abs(hashtext(o.id::text)) % 200),
         (array['Balestrate', 'Partinico', 'Trappeto', 'Alcamo', 'Terrasini'])[1 + abs(hashtext(o.id::text)) % 5],
         38.05, 13.0
       from third_sector.offer o where o.contact_email like '%@ente.example'`,
    );
    await db.query(
      `insert into third_sector.offer_schedule_slot (id, offer_id, weekday, start_time, end_time)
       select gen_random_uuid(), o.id, 1 + (abs(hashtext(o.id::text)) + k * 3) % 7,
         (array['09:00', '15:00', '17:30'])[1 + k], (array['12:00', '18:00', '19:30'])[1 + k]
       from third_sector.offer o, generate_series(0, 1) k
       where o.contact_email like '%@ente.example' and (k = 0 or abs(hashtext(o.id::text)) % 2 = 0)`,
    );
    await db.query('commit');
    // The steady state autovacuum would reach: the triggers' updates leave dead rows behind.
    await db.query('vacuum analyze third_sector.offer');
    await db.query('vacuum analyze third_sector.offer_place');
    await db.query('vacuum analyze third_sector.offer_schedule_slot');
  } finally {
    await db.end();
  }
}
