import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * Tutoring programmes in the catalogue (issue 18, item 3): every programme has one catalogue
 * offer (`offer.tutoring_programme_id`, unique) written by a trigger on `tutoring_programme` in
 * the same statement as the programme's insert or change, so the offer can never disagree with
 * the programme and the catalogue needs no special case (the offer's own triggers bump the
 * catalogue’s version and log the change). The offer: the programme's provider and Comune,
 * its title (cut to the offer's 160 characters) and description followed by a fixed sentence
 * (tutoring, "ripetizioni", "aiuto compiti", funded by the Comune and free for families), category
 * EDUCATION, for CHILDREN and TEENAGERS, FREE, the group size limit as capacity (INDIVIDUAL when
 * 1), the period as schedule notes; PUBLISHED while the programme is OPEN and not ended (as of
 * the write), WITHDRAWN otherwise. Such an offer needs no contact e-mail (families enrol from the
 * programme's page) and is always free. Rows are created here for the existing programmes.
 * Hand-written.
 */
export class Migration20261209010000_tutoring_offers extends Migration {
  override up(): void {
    this.addSql(`alter table ${S}."offer"
  add column "tutoring_programme_id" uuid null,
  add constraint "offer_tutoring_programme_unique" unique ("tutoring_programme_id"),
  add constraint "offer_tutoring_programme_fk" foreign key ("tutoring_programme_id")
    references ${S}."tutoring_programme" ("id") on delete cascade,
  add constraint "offer_tutoring_programme_check" check (
    "tutoring_programme_id" is null or ("price_kind" = 'FREE' and "category" = 'EDUCATION'));`);
    this.addSql(`alter table ${S}."offer" drop constraint "offer_published_check",
  add constraint "offer_published_check" check ("status" <> 'PUBLISHED' or ("published_at" is not null
    and ("contact_email" is not null or "tutoring_programme_id" is not null)
    and cardinality("targets") >= 1));`);
    this.addSql(`create or replace function ${S}."tutoring_programme_offer_sync"() returns trigger
language plpgsql as $$
declare
  listed boolean := new."status" = 'OPEN'
    and new."ends_on" >= (now() at time zone 'Europe/Rome')::date;
  about text := 'Programma di tutoraggio scolastico (ripetizioni, aiuto compiti e sostegno allo studio) finanziato dal Comune: gratuito per le famiglie. Ci si iscrive dalla pagina del programma.';
begin
  insert into ${S}."offer" as o ("id", "provider_id", "comune_id", "title", "description",
      "category", "targets", "price_kind", "price_cents", "format", "capacity", "status",
      "schedule_notes", "published_at", "withdrawn_at", "created_by", "tutoring_programme_id")
  values (gen_random_uuid(), new."provider_id", new."comune_id",
      case when char_length(new."title") > 160 then left(new."title", 159) || '…' else new."title" end,
      case when btrim(new."description") = '' then about else new."description" || E'\\n\\n' || about end,
      'EDUCATION', array['CHILDREN', 'TEENAGERS']::text[], 'FREE', null,
      case when new."group_size_limit" = 1 then 'INDIVIDUAL' else 'GROUP' end,
      new."group_size_limit",
      case when listed then 'PUBLISHED' else 'WITHDRAWN' end,
      'Dal ' || to_char(new."starts_on", 'DD/MM/YYYY') || ' al ' || to_char(new."ends_on", 'DD/MM/YYYY')
        || ': giorni e orari delle lezioni nella pagina del programma.',
      case when listed then now() end, case when not listed then now() end,
      new."created_by", new."id")
  on conflict ("tutoring_programme_id") do update set
      "provider_id" = excluded."provider_id", "comune_id" = excluded."comune_id",
      "title" = excluded."title", "description" = excluded."description",
      "format" = excluded."format", "capacity" = excluded."capacity",
      "status" = excluded."status", "schedule_notes" = excluded."schedule_notes",
      "published_at" = case when excluded."status" = 'PUBLISHED' and o."status" <> 'PUBLISHED'
        then now() else o."published_at" end,
      "withdrawn_at" = case when excluded."status" = 'WITHDRAWN' and o."status" = 'PUBLISHED'
        then now() else o."withdrawn_at" end,
      "version" = o."version" + 1, "updated_at" = now()
  where (o."title", o."description", o."format", o."capacity", o."status", o."schedule_notes",
         o."provider_id", o."comune_id")
    is distinct from (excluded."title", excluded."description", excluded."format",
         excluded."capacity", excluded."status", excluded."schedule_notes",
         excluded."provider_id", excluded."comune_id");
  return null;
end $$;`);
    this.addSql(
      `create trigger "tutoring_programme_offer_sync" after insert or update of "title", "description", "status", "starts_on", "ends_on", "group_size_limit", "provider_id", "comune_id" on ${S}."tutoring_programme" for each row execute function ${S}."tutoring_programme_offer_sync"();`,
    );
    // The existing programmes (a no-op update fires the trigger once per row).
    this.addSql(`update ${S}."tutoring_programme" set "title" = "title";`);
  }

  override down(): void {
    this.addSql(
      `drop trigger if exists "tutoring_programme_offer_sync" on ${S}."tutoring_programme";`,
    );
    this.addSql(`drop function if exists ${S}."tutoring_programme_offer_sync"();`);
    this.addSql(`delete from ${S}."offer" where "tutoring_programme_id" is not null;`);
    this.addSql(`alter table ${S}."offer" drop constraint "offer_published_check",
  add constraint "offer_published_check" check ("status" <> 'PUBLISHED' or ("published_at" is not null
    and "contact_email" is not null and cardinality("targets") >= 1));`);
    this.addSql(`alter table ${S}."offer" drop constraint "offer_tutoring_programme_check",
  drop constraint "offer_tutoring_programme_fk", drop constraint "offer_tutoring_programme_unique",
  drop column "tutoring_programme_id";`);
  }
}
