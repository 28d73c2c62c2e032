import 'reflect-metadata';
import type { SubgraphContext } from '@welfare/kit';
import { createAuditResolver } from '@welfare/kit/audit';
import { buildFederatedSchema } from '@welfare/kit/schema';
import type { GraphQLSchema } from 'graphql';
// Resolvers in this order: the SDL lists queries, mutations and a type's resolved fields in the
// order their modules are loaded.
import { AccreditationRequirementResolver } from './modules/accreditation-requirement/accreditation-requirement.resolver.js';
import { AccreditationTariffResolver } from './modules/accreditation-requirement/accreditation-tariff.resolver.js';
import {
  AccreditationResolver,
  AccreditedProviderResolver,
} from './modules/accreditation/accreditation.resolver.js';
import {
  CatalogueResolver,
  CatalogueSynonymResolver,
} from './modules/catalogue/catalogue.resolver.js';
import { OfferResolver } from './modules/offer/offer.resolver.js';
import { CalendarResolver } from './modules/calendar/calendar.resolver.js';
import { OfferBookingResolver } from './modules/offer-booking/offer-booking.resolver.js';
import { TutoringProgrammeResolver } from './modules/tutoring-programme/tutoring-programme.resolver.js';
import { TutoringReportResolver } from './modules/tutoring-report/tutoring-report.resolver.js';
import { TutoringTutorResolver } from './modules/tutoring-tutor/tutoring-tutor.resolver.js';
import { TutoringRoomResolver } from './modules/tutoring-room/tutoring-room.resolver.js';
import {
  TutoringLessonResolver,
  TutoringProgrammeLessonsResolver,
} from './modules/tutoring-lesson/tutoring-lesson.resolver.js';
import { TutoringAttendanceResolver } from './modules/tutoring-attendance/tutoring-attendance.resolver.js';
import { TutoringEnrolmentResolver } from './modules/tutoring-enrolment/tutoring-enrolment.resolver.js';
import {
  TutoringBookingResolver,
  TutoringLessonBookingsResolver,
} from './modules/tutoring-booking/tutoring-booking.resolver.js';
import { NotificationResolver } from './modules/notification/notification.resolver.js';
import type { Services } from './services.js';

/**
 * The third-sector subgraph's federated schema. Resolvers get the services through a small
 * container; `Organisation` is identity's entity, referenced by key only.
 */
export async function buildThirdSectorSchema(services: Services): Promise<GraphQLSchema> {
  const resolvers = [
    AccreditationRequirementResolver,
    AccreditationResolver,
    AccreditedProviderResolver,
    OfferResolver,
    OfferBookingResolver,
    CalendarResolver,
    CatalogueResolver,
    CatalogueSynonymResolver,
    TutoringProgrammeResolver,
    TutoringReportResolver,
    TutoringTutorResolver,
    TutoringRoomResolver,
    TutoringLessonResolver,
    TutoringProgrammeLessonsResolver,
    TutoringAttendanceResolver,
    TutoringEnrolmentResolver,
    TutoringBookingResolver,
    TutoringLessonBookingsResolver,
    AccreditationTariffResolver,
    NotificationResolver,
  ] as const;
  const instances = new Map<unknown, unknown>(resolvers.map((R) => [R, new R(services)]));
  // The audit log's queries (`thirdSectorAuditEvents`, `thirdSectorAuditChain`), built by the kit.
  const AuditResolver = createAuditResolver('thirdSector', 'third-sector', services.audit);
  instances.set(AuditResolver, new AuditResolver());
  return buildFederatedSchema(
    {
      resolvers: [...resolvers, AuditResolver],
      container: {
        get: (someClass: unknown) => {
          const instance = instances.get(someClass);
          if (!instance) throw new Error('Unknown resolver class');
          return instance;
        },
      },
    },
    {
      // `Offer` is this subgraph's entity: other subgraphs add fields to it through the gateway.
      Offer: {
        __resolveReference: (ref: { id: string }, ctx: SubgraphContext) =>
          services.offers.get(ctx.em, ctx.caller, ref.id),
      },
    },
  );
}
