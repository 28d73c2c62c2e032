import { AuditEvent } from './modules/audit/audit-event.entity.js';
import { HouseholdMember } from './modules/household/household-member.entity.js';
import { Household } from './modules/household/household.entity.js';
import { HouseholdNote } from './modules/household/household-note.entity.js';
import { HouseholdAttachment } from './modules/household/household-attachment.entity.js';
import { ImportJob } from './modules/imports/import-job.entity.js';
import { ImportRejection } from './modules/imports/import-rejection.entity.js';
import { ImportStagingRow } from './modules/imports/import-staging-row.entity.js';
import { IncomeDeclaration } from './modules/income/income-declaration.entity.js';
import { Segment } from './modules/segment/segment.entity.js';
import { Campaign } from './modules/campaign/campaign.entity.js';
import { Application } from './modules/application/application.entity.js';
import { ApplicationDocument } from './modules/application/application-document.entity.js';
import { CaseEvent } from './modules/application/case-event.entity.js';
import { ProtocolCounter } from './modules/application/protocol-counter.entity.js';
import { Message } from './modules/messages/message.entity.js';
import { Card } from './modules/card/card.entity.js';
import { ShopAccreditation } from './modules/shop/shop.entity.js';
import { Payment } from './modules/payment/payment.entity.js';

/** Every MikroORM entity of the public-welfare subgraph. */
export const entities = [
  Household,
  HouseholdMember,
  IncomeDeclaration,
  ImportJob,
  ImportRejection,
  ImportStagingRow,
  AuditEvent,
  Segment,
  Campaign,
  Application,
  ApplicationDocument,
  CaseEvent,
  ProtocolCounter,
  Message,
  Card,
  ShopAccreditation,
  Payment,
  HouseholdNote,
  HouseholdAttachment,
];

/** The subgraph's PostgreSQL schema. */
export const DB_SCHEMA = 'public_welfare';
