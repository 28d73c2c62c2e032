// Italian/English labels of organisations, people, the registry and the navigation.
import type {
  ImportKind,
  ImportStatus,
  IseeType,
  MembershipStatus,
  OrganisationKind,
  Role,
} from './api-enums';
import { enumLabel } from './enum-labels';
import type { NavId } from './nav';
import { m } from './paraglide/messages';

const NAV: Record<NavId, () => string> = {
  admin: m.nav_admin,
  comune: m.nav_comune,
  ente: m.nav_ente,
  azienda: m.nav_azienda,
  esercente: m.nav_esercente,
  servizi: m.nav_servizi,
  misure: m.measure_nav,
  prenotazioni: m.nav_prenotazioni,
  pagamenti: m.nav_pagamenti,
  domande: m.myapps_nav,
  carta: m.mycard_nav,
  'welfare-aziendale': m.cwm_nav,
  ies: m.iem_nav,
  messaggi: m.nav_messaggi,
  profilo: m.nav_profilo,
  accedi: m.nav_accedi,
};

export const kindLabel = (kind: OrganisationKind): string => enumLabel('OrganisationKind', kind);
export const roleLabel = (role: Role): string => enumLabel('Role', role);
export const statusLabel = (status: MembershipStatus): string =>
  enumLabel('MembershipStatus', status);
export const navLabel = (id: NavId): string => NAV[id]();

export const importKindLabel = (kind: ImportKind): string => enumLabel('ImportKind', kind);
export const importStatusLabel = (status: ImportStatus): string =>
  enumLabel('ImportStatus', status);
export const iseeTypeLabel = (type: IseeType): string => enumLabel('IseeType', type);
