import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '@welfare/kit/access';
import { Circuit } from '../circuit/circuit.entity.js';
import { Member } from '../member/member.entity.js';

/**
 * Whether a catalogue offer can be paid with IES: its provider is an ACTIVE member that accepts
 * IES of some ACTIVE circuit (the same rule as the fund contract's quote, short of the payer's own
 * membership, so that the badge and the checkout agree). Public: it says nothing about anyone's
 * wallet. The offers of one request are answered with one query.
 */
export class OfferIesService {
  /** The providers asked in one request, answered together (the key is the request's context). */
  private readonly perRequest = new WeakMap<
    object,
    { wanted: Set<string>; answer?: Promise<Set<string>>; reading?: boolean }
  >();

  async acceptsIes(em: EntityManager, request: object, providerId: string): Promise<boolean> {
    const id = providerId.toLowerCase();
    if (!isUuid(id)) return false;
    let batch = this.perRequest.get(request);
    // A batch takes providers until it is read (the other offers of the list join it); a provider
    // asked after that, and not in it, starts the next one.
    if (!batch || (batch.reading && !batch.wanted.has(id))) {
      batch = { wanted: new Set() };
      this.perRequest.set(request, batch);
    }
    batch.wanted.add(id);
    if (!batch.answer) {
      const current = batch;
      // Let the other offers of the same list join the batch before it is read.
      current.answer = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        current.reading = true;
        return this.accepting(em, [...current.wanted]);
      });
    }
    return (await batch.answer!).has(id);
  }

  /** Of the organisations, those that are ACTIVE members accepting IES of an ACTIVE circuit. */
  private async accepting(em: EntityManager, organisationIds: string[]): Promise<Set<string>> {
    const members = await em.find(Member, {
      organisationId: { $in: organisationIds },
      status: 'ACTIVE',
      acceptsIes: true,
    });
    if (!members.length) return new Set();
    const circuits = await em.find(Circuit, {
      id: { $in: [...new Set(members.map((m) => m.circuitId))] },
      status: 'ACTIVE',
    });
    const running = new Set(circuits.map((c) => c.id));
    return new Set(
      members.filter((m) => running.has(m.circuitId)).map((m) => m.organisationId!.toLowerCase()),
    );
  }
}
