import { registerEnumType } from 'type-graphql';

export const ACCREDITATION_STATUSES = ['PENDING', 'ACCREDITED', 'SUSPENDED'] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];
export const AccreditationStatus = Object.fromEntries(
  ACCREDITATION_STATUSES.map((s) => [s, s]),
) as { [K in AccreditationStatus]: K };
registerEnumType(AccreditationStatus, {
  name: 'AccreditationStatus',
  description:
    "A shop's accreditation for a campaign: PENDING (asked), ACCREDITED (may take payments), SUSPENDED.",
});
