import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207040000_book } from './Migration20261207040000_book.js';
import { Migration20261207040100_circuits } from './Migration20261207040100_circuits.js';
import { Migration20261207060000_payments } from './Migration20261207060000_payments.js';
import { Migration20261207080000_earning } from './Migration20261207080000_earning.js';
import { Migration20261207070000_reserve } from './Migration20261207070000_reserve.js';
// The catalogue: fundraising projects and donations.
import { Migration20261207100000_projects } from './Migration20261207100000_projects.js';
// Rewards' descriptions per language.
import { Migration20261208070000_reward_descriptions } from './Migration20261208070000_reward_descriptions.js';
// The card's fallback: debts of lapsed holds not re-taken.
import { Migration20261208070100_card_fallback_debts } from './Migration20261208070100_card_fallback_debts.js';
// The staff's search of members by name (folded: no case nor accents).
import { Migration20261211130000_member_search } from './Migration20261211130000_member_search.js';

/** Every migration, in order (explicit so they run from dist and under vitest alike). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261207040000_book', class: Migration20261207040000_book },
  { name: 'Migration20261207040100_circuits', class: Migration20261207040100_circuits },
  { name: 'Migration20261207060000_payments', class: Migration20261207060000_payments },
  { name: 'Migration20261207070000_reserve', class: Migration20261207070000_reserve },
  { name: 'Migration20261207080000_earning', class: Migration20261207080000_earning },
  // The catalogue.
  { name: 'Migration20261207100000_projects', class: Migration20261207100000_projects },
  // Rewards' descriptions per language.
  {
    name: 'Migration20261208070000_reward_descriptions',
    class: Migration20261208070000_reward_descriptions,
  },
  // The card's fallback's debts.
  {
    name: 'Migration20261208070100_card_fallback_debts',
    class: Migration20261208070100_card_fallback_debts,
  },
  // The staff's search of members by name.
  { name: 'Migration20261211130000_member_search', class: Migration20261211130000_member_search },
];
