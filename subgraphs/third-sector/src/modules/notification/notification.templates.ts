import { formatDay, TIME_ZONE } from '@welfare/kit/dates';

/** The languages a notification is written in (one per message); Italian by default. */
export const NOTIFICATION_LANGUAGES = ['it', 'en'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

/** Third-sector's notifications, with the values each one shows. */
export interface NotificationParams {
  BOOKING_CONFIRMED: { offerTitle: string; serviceDay: string };
  BOOKING_DECLINED: { offerTitle: string; serviceDay: string; reason: string };
  BOOKING_CANCELLED_BY_PROVIDER: { offerTitle: string; serviceDay: string; reason: string };
  SEAT_FREED: { programmeTitle: string; startsAt: Date };
  LESSON_CANCELLED: { programmeTitle: string; startsAt: Date };
  ACCREDITATION_DECIDED: {
    outcome: 'ACCREDITED' | 'REJECTED';
    validUntil: string | null;
    reason: string;
  };
  OFFER_WITHDRAWN_BY_COMUNE: { offerTitle: string; reason: string };
  OFFER_REINSTATED: { offerTitle: string };
  BOOKING_REQUESTED: { offerTitle: string; serviceDay: string; quantity: number };
  BOOKING_CANCELLED_BY_FAMILY: { offerTitle: string; serviceDay: string };
}
export type NotificationTemplate = keyof NotificationParams;

export interface RenderedNotification {
  subject: string;
  body: string;
}

const TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
});
const DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
/** `dd/mm/yyyy` and `hh:mm` of an instant in Rome. */
function dayAndTime(at: Date): [string, string] {
  return [formatDay(DAY.format(at)), TIME.format(at)];
}

/**
 * The subject and body of a notification in ONE language (the recipient's): Italian in the
 * register of public-welfare's messages ("Lei"), dates `dd/mm/yyyy`, no internal codes.
 */
export function renderNotification<T extends NotificationTemplate>(
  template: T,
  params: NotificationParams[T],
  language: NotificationLanguage,
): RenderedNotification {
  const [it, en] = texts(template, params);
  return language === 'en' ? en : it;
}

function texts(
  template: NotificationTemplate,
  params: NotificationParams[NotificationTemplate],
): [RenderedNotification, RenderedNotification] {
  switch (template) {
    case 'BOOKING_CONFIRMED': {
      const p = params as NotificationParams['BOOKING_CONFIRMED'];
      const day = formatDay(p.serviceDay);
      return [
        {
          subject: `Prenotazione confermata: ${p.offerTitle}`,
          body: `La sua prenotazione di «${p.offerTitle}» per il ${day} è stata confermata dall’ente.`,
        },
        {
          subject: `Booking confirmed: ${p.offerTitle}`,
          body: `Your booking of “${p.offerTitle}” for ${day} was confirmed by the provider.`,
        },
      ];
    }
    case 'BOOKING_DECLINED': {
      const p = params as NotificationParams['BOOKING_DECLINED'];
      const day = formatDay(p.serviceDay);
      return [
        {
          subject: `Prenotazione non accettata: ${p.offerTitle}`,
          body: `La sua prenotazione di «${p.offerTitle}» per il ${day} non è stata accettata dall’ente. Motivo: ${p.reason}`,
        },
        {
          subject: `Booking declined: ${p.offerTitle}`,
          body: `Your booking of “${p.offerTitle}” for ${day} was declined by the provider. Reason: ${p.reason}`,
        },
      ];
    }
    case 'BOOKING_CANCELLED_BY_PROVIDER': {
      const p = params as NotificationParams['BOOKING_CANCELLED_BY_PROVIDER'];
      const day = formatDay(p.serviceDay);
      return [
        {
          subject: `Prenotazione annullata dall’ente: ${p.offerTitle}`,
          body: `L’ente ha annullato la sua prenotazione di «${p.offerTitle}» per il ${day}. Motivo: ${p.reason}`,
        },
        {
          subject: `Booking cancelled by the provider: ${p.offerTitle}`,
          body: `The provider cancelled your booking of “${p.offerTitle}” for ${day}. Reason: ${p.reason}`,
        },
      ];
    }
    case 'SEAT_FREED': {
      const p = params as NotificationParams['SEAT_FREED'];
      const [day, time] = dayAndTime(p.startsAt);
      return [
        {
          subject: `Si è liberato un posto: ${p.programmeTitle}`,
          body: `Si è liberato un posto nella lezione di «${p.programmeTitle}» del ${day} alle ${time}: la prenotazione dalla lista d’attesa è ora confermata. Se non può partecipare, la disdica dal portale.`,
        },
        {
          subject: `A seat is free: ${p.programmeTitle}`,
          body: `A seat became free in the “${p.programmeTitle}” lesson on ${day} at ${time}: the booking from the waiting list is now confirmed. If you cannot attend, cancel it on the portal.`,
        },
      ];
    }
    case 'LESSON_CANCELLED': {
      const p = params as NotificationParams['LESSON_CANCELLED'];
      const [day, time] = dayAndTime(p.startsAt);
      return [
        {
          subject: `Lezione annullata: ${p.programmeTitle}`,
          body: `La lezione di «${p.programmeTitle}» del ${day} alle ${time} è stata annullata dall’ente. La sua prenotazione è annullata.`,
        },
        {
          subject: `Lesson cancelled: ${p.programmeTitle}`,
          body: `The “${p.programmeTitle}” lesson on ${day} at ${time} was cancelled by the provider. Your booking is cancelled.`,
        },
      ];
    }
    case 'ACCREDITATION_DECIDED': {
      const p = params as NotificationParams['ACCREDITATION_DECIDED'];
      const until = p.validUntil ? formatDay(p.validUntil) : null;
      return p.outcome === 'ACCREDITED'
        ? [
            {
              subject: 'Richiesta di accreditamento accolta',
              body: `La richiesta di accreditamento dell’ente è stata accolta dal Comune${until ? `, con validità fino al ${until}` : ''}. Motivazione: ${p.reason}`,
            },
            {
              subject: 'Accreditation granted',
              body: `The Comune granted the provider’s accreditation request${until ? `, valid until ${until}` : ''}. Grounds: ${p.reason}`,
            },
          ]
        : [
            {
              subject: 'Richiesta di accreditamento non accolta',
              body: `La richiesta di accreditamento dell’ente non è stata accolta dal Comune. Motivo: ${p.reason}`,
            },
            {
              subject: 'Accreditation refused',
              body: `The Comune refused the provider’s accreditation request. Reason: ${p.reason}`,
            },
          ];
    }
    case 'OFFER_WITHDRAWN_BY_COMUNE': {
      const p = params as NotificationParams['OFFER_WITHDRAWN_BY_COMUNE'];
      return [
        {
          subject: `Offerta ritirata dal Comune: ${p.offerTitle}`,
          body: `Il Comune ha ritirato dal catalogo l’offerta «${p.offerTitle}»: dopo averla corretta, può chiederne la ripubblicazione dal portale. Motivo: ${p.reason}`,
        },
        {
          subject: `Offer withdrawn by the Comune: ${p.offerTitle}`,
          body: `The Comune withdrew the offer “${p.offerTitle}” from its catalogue: once it is fixed, you can ask to publish it again on the portal. Reason: ${p.reason}`,
        },
      ];
    }
    case 'OFFER_REINSTATED': {
      const p = params as NotificationParams['OFFER_REINSTATED'];
      return [
        {
          subject: `Offerta ripubblicata: ${p.offerTitle}`,
          body: `Il Comune ha ripubblicato nel catalogo l’offerta «${p.offerTitle}».`,
        },
        {
          subject: `Offer published again: ${p.offerTitle}`,
          body: `The Comune published the offer “${p.offerTitle}” in its catalogue again.`,
        },
      ];
    }
    case 'BOOKING_REQUESTED': {
      const p = params as NotificationParams['BOOKING_REQUESTED'];
      const day = formatDay(p.serviceDay);
      return [
        {
          subject: `Nuova richiesta di prenotazione: ${p.offerTitle}`,
          body: `È arrivata una richiesta di prenotazione di «${p.offerTitle}» per il ${day} (quantità ${p.quantity}): la confermi o la rifiuti dalla pagina delle prenotazioni dell’ente.`,
        },
        {
          subject: `New booking request: ${p.offerTitle}`,
          body: `A booking request for “${p.offerTitle}” on ${day} (quantity ${p.quantity}) has arrived: confirm or decline it on the provider’s bookings page.`,
        },
      ];
    }
    case 'BOOKING_CANCELLED_BY_FAMILY': {
      const p = params as NotificationParams['BOOKING_CANCELLED_BY_FAMILY'];
      const day = formatDay(p.serviceDay);
      return [
        {
          subject: `Prenotazione annullata dalla famiglia: ${p.offerTitle}`,
          body: `La famiglia ha annullato la prenotazione di «${p.offerTitle}» per il ${day}: il posto è di nuovo libero.`,
        },
        {
          subject: `Booking cancelled by the family: ${p.offerTitle}`,
          body: `The family cancelled the booking of “${p.offerTitle}” for ${day}: the place is free again.`,
        },
      ];
    }
  }
  throw new Error('Unknown notification template');
}
