import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';
const CATEGORIES = `'EDUCATION', 'CHILDCARE', 'ELDERLY_CARE', 'DISABILITY', 'HEALTH', 'SPORT', 'CULTURE', 'EMPLOYMENT', 'HOME_SERVICES', 'OTHER'`;
const TARGETS = `'CHILDREN', 'TEENAGERS', 'YOUNG_ADULTS', 'FAMILIES', 'ADULTS', 'ELDERLY', 'PEOPLE_WITH_DISABILITIES', 'EVERYONE'`;
const TIME = `'^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

/**
 * Offers and the catalogue: offers with their places and weekly schedule. Written by hand:
 * CHECKs mirror the service's rules (price in cents null iff FREE, capacity by format, limits),
 * the Italian full-text `search` vector is a generated column with a GIN index, the catalogue's
 * vocabulary (`offer_word`, trigram-indexed, for typo tolerance) is collected by a trigger, and
 * triggers keep the offer's `municipalities` and
 * `weekdays` (what the catalogue filters and counts on) in step with the child rows.
 */
export class Migration20261205100000_offers extends Migration {
  // Long because it is one migration's DDL, read top to bottom.
  override up(): void {
    this.addSql(`create extension if not exists pg_trgm with schema public;`);
    this.addSql(
      `create table ${S}."offer" ("id" uuid not null, "provider_id" uuid not null, "comune_id" uuid not null, "title" text not null, "description" text not null, "category" text check ("category" in (${CATEGORIES})) not null, "targets" text[] not null default '{}', "price_kind" text check ("price_kind" in ('FREE', 'PER_HOUR', 'PER_SESSION', 'PER_PACKAGE')) not null, "price_cents" int null, "package_description" text null, "format" text check ("format" in ('INDIVIDUAL', 'GROUP')) not null, "capacity" int not null, "status" text check ("status" in ('DRAFT', 'PUBLISHED', 'WITHDRAWN')) not null default 'DRAFT', "schedule_notes" text null, "contact_email" text null, "contact_phone" text null, "contact_website" text null, "published_at" timestamptz null, "withdrawn_at" timestamptz null, "created_by" uuid not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "municipalities" text[] not null default '{}', "weekdays" smallint[] not null default '{}', constraint "offer_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."offer" add column "search" tsvector generated always as (setweight(to_tsvector('italian'::regconfig, "title"), 'A') || setweight(to_tsvector('italian'::regconfig, "description"), 'B')) stored;`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_not_self_check" check ("provider_id" <> "comune_id");`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_text_check" check (length("title") between 3 and 160 and length("description") between 10 and 5000 and ("package_description" is null or length("package_description") <= 500) and ("schedule_notes" is null or length("schedule_notes") <= 1000));`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_targets_check" check ("targets" <@ array[${TARGETS}]::text[] and cardinality("targets") <= 8);`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_price_check" check ((("price_kind" = 'FREE') = ("price_cents" is null)) and ("price_cents" is null or "price_cents" between 1 and 10000000) and ("package_description" is null or "price_kind" = 'PER_PACKAGE'));`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_capacity_check" check (("format" = 'INDIVIDUAL' and "capacity" = 1) or ("format" = 'GROUP' and "capacity" between 2 and 200));`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_contact_check" check (("contact_email" is null or (length("contact_email") <= 254 and "contact_email" ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$')) and ("contact_phone" is null or length("contact_phone") <= 30) and ("contact_website" is null or (length("contact_website") <= 500 and "contact_website" ~ '^https?://')));`,
    );
    this.addSql(
      `alter table ${S}."offer" add constraint "offer_published_check" check ("status" <> 'PUBLISHED' or ("published_at" is not null and "contact_email" is not null and cardinality("targets") >= 1));`,
    );
    this.addSql(`create index "offer_provider_index" on ${S}."offer" ("provider_id", "status");`);
    this.addSql(
      `create index "offer_catalogue_index" on ${S}."offer" ("comune_id", "category") include ("provider_id") where "status" = 'PUBLISHED';`,
    );
    this.addSql(
      `create index "offer_search_index" on ${S}."offer" using gin ("search") where "status" = 'PUBLISHED';`,
    );

    // The catalogue's vocabulary, for typo tolerance: a misspelt search word is matched by
    // trigram similarity against these words, then searched as full text. Words are added when
    // offers are written, never removed (a stale word only offers a harmless alternative).
    this.addSql(
      `create table ${S}."offer_word" ("word" text not null, constraint "offer_word_pkey" primary key ("word"), constraint "offer_word_check" check (length("word") between 3 and 60));`,
    );
    this.addSql(
      `create index "offer_word_trgm_index" on ${S}."offer_word" using gin ("word" public.gin_trgm_ops);`,
    );
    this.addSql(`create or replace function ${S}."offer_collect_words"() returns trigger
language plpgsql as $$
begin
  insert into ${S}."offer_word" ("word")
  select distinct w from regexp_split_to_table(lower(new."title" || ' ' || new."description"), '[^[:alnum:]]+') w
   where length(w) between 3 and 60
  on conflict do nothing;
  return null;
end $$;`);
    this.addSql(
      `create trigger "offer_collect_words" after insert or update of "title", "description" on ${S}."offer" for each row execute function ${S}."offer_collect_words"();`,
    );

    this.addSql(
      `create table ${S}."offer_place" ("id" uuid not null, "offer_id" uuid not null, "position" int not null, "name" text not null, "address" text not null, "municipality" text not null, "latitude" double precision null, "longitude" double precision null, constraint "offer_place_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."offer_place" add constraint "offer_place_offer_fk" foreign key ("offer_id") references ${S}."offer" ("id") on delete cascade;`,
    );
    this.addSql(
      `create unique index "offer_place_position_unique" on ${S}."offer_place" ("offer_id", "position");`,
    );
    this.addSql(
      `alter table ${S}."offer_place" add constraint "offer_place_check" check ("position" between 0 and 19 and length("name") between 1 and 160 and length("address") between 3 and 300 and length("municipality") between 2 and 100 and (("latitude" is null) = ("longitude" is null)) and ("latitude" is null or ("latitude" between -90 and 90 and "longitude" between -180 and 180)));`,
    );

    this.addSql(
      `create table ${S}."offer_schedule_slot" ("id" uuid not null, "offer_id" uuid not null, "weekday" smallint not null, "start_time" text not null, "end_time" text not null, constraint "offer_schedule_slot_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."offer_schedule_slot" add constraint "offer_schedule_slot_offer_fk" foreign key ("offer_id") references ${S}."offer" ("id") on delete cascade;`,
    );
    this.addSql(
      `create index "offer_schedule_slot_offer_index" on ${S}."offer_schedule_slot" ("offer_id", "weekday");`,
    );
    this.addSql(
      `alter table ${S}."offer_schedule_slot" add constraint "offer_schedule_slot_check" check ("weekday" between 1 and 7 and "start_time" ~ ${TIME} and "end_time" ~ ${TIME} and "end_time" > "start_time");`,
    );

    this.addSql(`create or replace function ${S}."offer_sync_places"() returns trigger
language plpgsql as $$
declare target uuid;
begin
  for target in select distinct x from unnest(array[
      case when tg_op <> 'DELETE' then new.offer_id end,
      case when tg_op <> 'INSERT' then old.offer_id end]) x where x is not null loop
    update ${S}."offer" set "municipalities" = array(
      select distinct p."municipality" from ${S}."offer_place" p where p."offer_id" = target order by 1)
    where "id" = target;
  end loop;
  return null;
end $$;`);
    this.addSql(
      `create trigger "offer_place_sync" after insert or update or delete on ${S}."offer_place" for each row execute function ${S}."offer_sync_places"();`,
    );
    this.addSql(`create or replace function ${S}."offer_sync_weekdays"() returns trigger
language plpgsql as $$
declare target uuid;
begin
  for target in select distinct x from unnest(array[
      case when tg_op <> 'DELETE' then new.offer_id end,
      case when tg_op <> 'INSERT' then old.offer_id end]) x where x is not null loop
    update ${S}."offer" set "weekdays" = array(
      select distinct s."weekday" from ${S}."offer_schedule_slot" s where s."offer_id" = target order by 1)
    where "id" = target;
  end loop;
  return null;
end $$;`);
    this.addSql(
      `create trigger "offer_schedule_slot_sync" after insert or update or delete on ${S}."offer_schedule_slot" for each row execute function ${S}."offer_sync_weekdays"();`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."offer_schedule_slot" cascade;`);
    this.addSql(`drop table if exists ${S}."offer_place" cascade;`);
    this.addSql(`drop function if exists ${S}."offer_sync_weekdays"() cascade;`);
    this.addSql(`drop function if exists ${S}."offer_sync_places"() cascade;`);
    this.addSql(`drop table if exists ${S}."offer" cascade;`);
    this.addSql(`drop function if exists ${S}."offer_collect_words"() cascade;`);
    this.addSql(`drop table if exists ${S}."offer_word" cascade;`);
  }
}
