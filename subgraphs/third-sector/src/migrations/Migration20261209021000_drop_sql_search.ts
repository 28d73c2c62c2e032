import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * Drops the SQL catalogue search's structures, unused since the in-memory index
 * (`CatalogueIndex`) answers every search: the full-text `search` column and its GIN index, the
 * trigram-indexed vocabulary `offer_word` with the trigger collecting it, the `pg_trgm` extension
 * (nothing else uses it), and the offer's `weekdays` copy of its slots with its trigger (the index
 * reads the slots). The offer's `municipalities` stays: the index reads it.
 */
export class Migration20261209021000_drop_sql_search extends Migration {
  override up(): void {
    this.addSql(`drop trigger if exists "offer_collect_words" on ${S}."offer";`);
    this.addSql(`drop function if exists ${S}."offer_collect_words"();`);
    this.addSql(`drop table if exists ${S}."offer_word";`);
    this.addSql(`drop index if exists ${S}."offer_search_index";`);
    this.addSql(`alter table ${S}."offer" drop column if exists "search";`);
    this.addSql(`drop extension if exists pg_trgm;`);
    this.addSql(`drop trigger if exists "offer_schedule_slot_sync" on ${S}."offer_schedule_slot";`);
    this.addSql(`drop function if exists ${S}."offer_sync_weekdays"();`);
    this.addSql(`alter table ${S}."offer" drop column if exists "weekdays";`);
  }

  override down(): void {
    this.addSql(`create extension if not exists pg_trgm with schema public;`);
    this.addSql(`alter table ${S}."offer" add column "weekdays" smallint[] not null default '{}';`);
    this.addSql(
      `update ${S}."offer" o set "weekdays" = array(select distinct s."weekday" from ${S}."offer_schedule_slot" s where s."offer_id" = o."id" order by 1);`,
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
    this.addSql(
      `alter table ${S}."offer" add column "search" tsvector generated always as (setweight(to_tsvector('italian'::regconfig, "title"), 'A') || setweight(to_tsvector('italian'::regconfig, "description"), 'B')) stored;`,
    );
    this.addSql(
      `create index "offer_search_index" on ${S}."offer" using gin ("search") where "status" = 'PUBLISHED';`,
    );
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
  }
}
