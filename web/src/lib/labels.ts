// Italian/English labels for the API's enums and the navigation.
import { m } from '$lib/paraglide/messages';
import type { ImportKind, ImportStatus, IseeType } from './households';
import type { NavId } from './nav';
import type { MembershipStatus, OrganisationKind, Role } from './roles';

const KIND: Record<OrganisationKind, () => string> = {
  COMUNE: m.kind_comune,
  COOPERATIVE: m.kind_cooperative,
  ASSOCIATION: m.kind_association,
  EMPLOYER: m.kind_employer,
  MERCHANT: m.kind_merchant,
};

const ROLE: Record<Role, () => string> = {
  OPERATOR: m.role_operator,
  MANAGER: m.role_manager,
  ADMIN: m.role_admin,
  TUTOR: m.role_tutor,
  HR: m.role_hr,
  OWNER: m.role_owner,
  CASHIER: m.role_cashier,
};

const STATUS: Record<MembershipStatus, () => string> = {
  INVITED: m.status_invited,
  ACTIVE: m.status_active,
};

const NAV: Record<NavId, () => string> = {
  admin: m.nav_admin,
  comune: m.nav_comune,
  ente: m.nav_ente,
  azienda: m.nav_azienda,
  esercente: m.nav_esercente,
  servizi: m.nav_servizi,
  misure: m.measure_nav,
  prenotazioni: m.nav_prenotazioni,
  domande: m.myapps_nav,
  carta: m.mycard_nav,
  messaggi: m.nav_messaggi,
  profilo: m.nav_profilo,
  accedi: m.nav_accedi,
};

export const kindLabel = (kind: OrganisationKind): string => KIND[kind]();
export const roleLabel = (role: Role): string => ROLE[role]();
export const statusLabel = (status: MembershipStatus): string => STATUS[status]();
export const navLabel = (id: NavId): string => NAV[id]();

const IMPORT_KIND: Record<ImportKind, () => string> = {
  REGISTRY: m.import_kind_registry,
  INCOME: m.import_kind_income,
};

const IMPORT_STATUS: Record<ImportStatus, () => string> = {
  QUEUED: m.import_status_queued,
  RUNNING: m.import_status_running,
  SUCCEEDED: m.import_status_succeeded,
  FAILED: m.import_status_failed,
};

const ISEE_TYPE: Record<IseeType, () => string> = {
  ORDINARIO: m.isee_type_ordinario,
  MINORENNI: m.isee_type_minorenni,
  SOCIOSANITARIO: m.isee_type_sociosanitario,
  CORRENTE: m.isee_type_corrente,
};

export const importKindLabel = (kind: ImportKind): string => IMPORT_KIND[kind]();
export const importStatusLabel = (status: ImportStatus): string => IMPORT_STATUS[status]();
export const iseeTypeLabel = (type: IseeType): string => ISEE_TYPE[type]();
