import { Migration } from '@mikro-orm/migrations';

const S = '"third_sector"';

/**
 * Tutoring: programmes funded by a Comune and run by a provider, tutors, rooms with weekly
 * availability, lessons, pupils' enrolments, bookings (seat or waitlist) and the attendance
 * register. Written by hand: what must never happen under concurrency is refused by the database
 * too — a tutor or a room in two overlapping lessons (exclusion constraints, btree_gist), more
 * seats than the capacity or more planned minutes than the budget (counters with CHECKs), a pupil
 * seated in two overlapping lessons, the same pupil twice in a lesson.
 */
export class Migration20261205110000_tutoring extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists btree_gist with schema public;`);

    this.addSql(
      `create table ${S}."tutoring_programme" ("id" uuid not null, "comune_id" uuid not null, "provider_id" uuid not null, "title" text not null, "description" text not null, "starts_on" date not null, "ends_on" date not null, "budget_minutes" int not null, "planned_minutes" int not null default 0, "group_size_limit" int not null default 3, "cancellation_notice_hours" int not null default 24, "status" text check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN', "created_by" uuid not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "tutoring_programme_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table ${S}."tutoring_programme" add constraint "tutoring_programme_checks" check ("comune_id" <> "provider_id" and length("title") between 3 and 200 and length("description") <= 4000 and "ends_on" >= "starts_on" and "budget_minutes" between 1 and 6000000 and "planned_minutes" between 0 and "budget_minutes" and "group_size_limit" between 1 and 10 and "cancellation_notice_hours" between 0 and 720);`,
    );
    this.addSql(
      `create index "tutoring_programme_comune_index" on ${S}."tutoring_programme" ("comune_id");`,
    );
    this.addSql(
      `create index "tutoring_programme_provider_index" on ${S}."tutoring_programme" ("provider_id");`,
    );

    this.addSql(
      `create table ${S}."tutoring_tutor" ("id" uuid not null, "programme_id" uuid not null, "provider_id" uuid not null, "person_id" uuid not null, "display_name" text not null, "created_at" timestamptz not null default now(), constraint "tutoring_tutor_pkey" primary key ("id"), constraint "tutoring_tutor_programme_fk" foreign key ("programme_id") references ${S}."tutoring_programme" ("id"), constraint "tutoring_tutor_name_check" check (length("display_name") between 2 and 120));`,
    );
    this.addSql(
      `create unique index "tutoring_tutor_unique" on ${S}."tutoring_tutor" ("programme_id", "person_id");`,
    );

    this.addSql(
      `create table ${S}."tutoring_room" ("id" uuid not null, "provider_id" uuid not null, "name" text not null, "address" text not null, "created_at" timestamptz not null default now(), constraint "tutoring_room_pkey" primary key ("id"), constraint "tutoring_room_text_check" check (length("name") between 3 and 200 and length("address") between 3 and 300));`,
    );
    this.addSql(
      `create unique index "tutoring_room_name_unique" on ${S}."tutoring_room" ("provider_id", lower("name"));`,
    );
    this.addSql(
      `create table ${S}."tutoring_room_window" ("id" uuid not null, "room_id" uuid not null, "weekday" smallint not null, "starts_at" time not null, "ends_at" time not null, "valid_from" date null, "valid_until" date null, constraint "tutoring_room_window_pkey" primary key ("id"), constraint "tutoring_room_window_room_fk" foreign key ("room_id") references ${S}."tutoring_room" ("id") on delete cascade, constraint "tutoring_room_window_check" check ("weekday" between 1 and 7 and "ends_at" > "starts_at" and ("valid_from" is null or "valid_until" is null or "valid_until" >= "valid_from")));`,
    );
    this.addSql(
      `create index "tutoring_room_window_room_index" on ${S}."tutoring_room_window" ("room_id", "weekday");`,
    );

    this.addSql(
      `create table ${S}."tutoring_lesson" ("id" uuid not null, "programme_id" uuid not null, "provider_id" uuid not null, "tutor_id" uuid not null, "tutor_person_id" uuid not null, "room_id" uuid not null, "series_id" uuid null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "capacity" int not null, "seats_taken" int not null default 0, "status" text check ("status" in ('PLANNED', 'CANCELLED')) not null default 'PLANNED', "cancelled_at" timestamptz null, "created_by" uuid not null, "created_at" timestamptz not null default now(), constraint "tutoring_lesson_pkey" primary key ("id"), constraint "tutoring_lesson_programme_fk" foreign key ("programme_id") references ${S}."tutoring_programme" ("id"), constraint "tutoring_lesson_tutor_fk" foreign key ("tutor_id") references ${S}."tutoring_tutor" ("id"), constraint "tutoring_lesson_room_fk" foreign key ("room_id") references ${S}."tutoring_room" ("id"), constraint "tutoring_lesson_time_check" check ("ends_at" > "starts_at" and "ends_at" - "starts_at" <= interval '8 hours'), constraint "tutoring_lesson_capacity_check" check ("capacity" between 1 and 10 and "seats_taken" between 0 and "capacity"), constraint "tutoring_lesson_cancelled_check" check (("status" = 'CANCELLED') = ("cancelled_at" is not null) and ("status" = 'PLANNED' or "seats_taken" = 0)));`,
    );
    this.addSql(
      `alter table ${S}."tutoring_lesson" add constraint "tutoring_lesson_tutor_overlap" exclude using gist ("tutor_person_id" with =, tstzrange("starts_at", "ends_at", '[)') with &&) where ("status" = 'PLANNED');`,
    );
    this.addSql(
      `alter table ${S}."tutoring_lesson" add constraint "tutoring_lesson_room_overlap" exclude using gist ("room_id" with =, tstzrange("starts_at", "ends_at", '[)') with &&) where ("status" = 'PLANNED');`,
    );
    this.addSql(
      `create index "tutoring_lesson_programme_index" on ${S}."tutoring_lesson" ("programme_id", "starts_at");`,
    );

    this.addSql(
      `create table ${S}."tutoring_enrolment" ("id" uuid not null, "programme_id" uuid not null, "family_id" uuid not null, "first_name" text not null, "last_name" text not null, "school_class" text not null, "created_at" timestamptz not null default now(), constraint "tutoring_enrolment_pkey" primary key ("id"), constraint "tutoring_enrolment_programme_fk" foreign key ("programme_id") references ${S}."tutoring_programme" ("id"), constraint "tutoring_enrolment_text_check" check (length("first_name") between 1 and 80 and length("last_name") between 1 and 80 and length("school_class") between 1 and 40));`,
    );
    this.addSql(
      `create unique index "tutoring_enrolment_unique" on ${S}."tutoring_enrolment" ("programme_id", "family_id", lower("first_name"), lower("last_name"));`,
    );
    this.addSql(
      `create index "tutoring_enrolment_family_index" on ${S}."tutoring_enrolment" ("family_id");`,
    );

    this.addSql(
      `create table ${S}."tutoring_booking" ("id" uuid not null, "seq" bigserial not null, "lesson_id" uuid not null, "programme_id" uuid not null, "enrolment_id" uuid not null, "family_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "status" text check ("status" in ('SEATED', 'WAITLISTED', 'CANCELLED')) not null, "attendance" text check ("attendance" in ('PRESENT', 'ABSENT', 'JUSTIFIED')) null, "attendance_marked_by" uuid null, "attendance_marked_at" timestamptz null, "seated_at" timestamptz null, "cancelled_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "tutoring_booking_pkey" primary key ("id"), constraint "tutoring_booking_lesson_fk" foreign key ("lesson_id") references ${S}."tutoring_lesson" ("id"), constraint "tutoring_booking_enrolment_fk" foreign key ("enrolment_id") references ${S}."tutoring_enrolment" ("id"), constraint "tutoring_booking_checks" check (("attendance" is null or "status" = 'SEATED') and (("attendance" is null) = ("attendance_marked_at" is null)) and (("status" = 'CANCELLED') = ("cancelled_at" is not null)) and ("status" <> 'SEATED' or "seated_at" is not null)));`,
    );
    this.addSql(
      `create unique index "tutoring_booking_one_live" on ${S}."tutoring_booking" ("lesson_id", "enrolment_id") where "status" <> 'CANCELLED';`,
    );
    this.addSql(
      `alter table ${S}."tutoring_booking" add constraint "tutoring_booking_pupil_overlap" exclude using gist ("enrolment_id" with =, tstzrange("starts_at", "ends_at", '[)') with &&) where ("status" = 'SEATED');`,
    );
    this.addSql(
      `create index "tutoring_booking_lesson_index" on ${S}."tutoring_booking" ("lesson_id", "status", "seq");`,
    );
    this.addSql(
      `create index "tutoring_booking_family_index" on ${S}."tutoring_booking" ("family_id");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists ${S}."tutoring_booking" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_enrolment" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_lesson" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_room_window" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_room" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_tutor" cascade;`);
    this.addSql(`drop table if exists ${S}."tutoring_programme" cascade;`);
  }
}
