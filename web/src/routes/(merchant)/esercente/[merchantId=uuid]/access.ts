import { error } from '@sveltejs/kit';
import type { AccessMembership } from '$lib/roles';
import { requireArea } from '$lib/server/guards';

interface GuardEvent {
  locals: App.Locals;
  url: URL;
  params: { merchantId: string };
}

/** An active OWNER or CASHIER of this MERCHANT organisation (403 for anyone else). */
export function requireMerchantMember(event: GuardEvent): AccessMembership {
  const { memberships } = requireArea(event, 'esercente');
  const { merchantId } = event.params;
  const membership = memberships.find(
    (m) => m.organisation.id === merchantId && m.organisation.kind === 'MERCHANT',
  );
  if (!membership) error(403, 'Forbidden');
  return membership;
}
