import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@welfare/kit';
import { actorOf, requirePerson } from '@welfare/kit/access';
import { FieldErrors } from '@welfare/kit/errors';
import type { AuditService } from '../audit/audit.service.js';
import { requireCircuitManager } from '../shared/access.js';
import { FEE_PAYERS, type Circuit, type FeePayer } from './circuit.entity.js';
import type { CircuitRepository } from './circuit.repository.js';
import type { CircuitService } from './circuit.service.js';

/** The rules as they arrive. */
export interface CircuitRulesData {
  feeFixedCents: number;
  feeBasisPoints: number;
  feeMaxCents?: number | null;
  feePayer: string;
  welfareExempt: boolean;
  conversionFeeBasisPoints: number;
  conversionFeeMinCents: number;
  demurrageBasisPoints: number;
  expiryMonths?: number | null;
}

/** The rules, checked (the same bounds as the table's checks). */
export interface CircuitRules {
  feeFixedCents: number;
  feeBasisPoints: number;
  feeMaxCents: number | null;
  feePayer: FeePayer;
  welfareExempt: boolean;
  conversionFeeBasisPoints: number;
  conversionFeeMinCents: number;
  demurrageBasisPoints: number;
  expiryMonths: number | null;
}

function between(
  errors: FieldErrors,
  field: string,
  value: number | null | undefined,
  min: number,
  max: number,
): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.add(
      field,
      `Un numero intero da ${min} a ${max}.`,
      `A whole number from ${min} to ${max}.`,
    );
  }
}

/** Checks the rules: every field at once, BAD_USER_INPUT (Italian and English) with each wrong one. */
export function checkCircuitRules(data: CircuitRulesData): CircuitRules {
  const errors = new FieldErrors();
  between(errors, 'feeFixedCents', data.feeFixedCents, 0, 1000);
  between(errors, 'feeBasisPoints', data.feeBasisPoints, 0, 1000);
  between(errors, 'feeMaxCents', data.feeMaxCents, 0, 100000);
  if (
    data.feeMaxCents !== null &&
    data.feeMaxCents !== undefined &&
    Number.isInteger(data.feeFixedCents) &&
    data.feeMaxCents < data.feeFixedCents
  ) {
    errors.add(
      'feeMaxCents',
      'Il massimo non può essere minore della quota fissa.',
      'The cap cannot be less than the fixed part.',
    );
  }
  if (!(FEE_PAYERS as readonly string[]).includes(data.feePayer)) {
    errors.add('feePayer', 'Valore non ammesso.', 'Value not allowed.');
  }
  between(errors, 'conversionFeeBasisPoints', data.conversionFeeBasisPoints, 0, 2000);
  between(errors, 'conversionFeeMinCents', data.conversionFeeMinCents, 0, 10000);
  between(errors, 'demurrageBasisPoints', data.demurrageBasisPoints, 0, 500);
  between(errors, 'expiryMonths', data.expiryMonths, 1, 120);
  errors.throwIfAny();
  return {
    feeFixedCents: data.feeFixedCents,
    feeBasisPoints: data.feeBasisPoints,
    feeMaxCents: data.feeMaxCents ?? null,
    feePayer: data.feePayer as FeePayer,
    welfareExempt: data.welfareExempt,
    conversionFeeBasisPoints: data.conversionFeeBasisPoints,
    conversionFeeMinCents: data.conversionFeeMinCents,
    demurrageBasisPoints: data.demurrageBasisPoints,
    expiryMonths: data.expiryMonths ?? null,
  };
}

/** The circuit's rules editor, for the MANAGER of its manager organisation. Audited. */
export class CircuitRulesService {
  constructor(
    private readonly circuits: CircuitService,
    private readonly repository: CircuitRepository,
    private readonly audit: AuditService,
  ) {}

  async update(
    em: EntityManager,
    caller: Caller,
    circuitId: string,
    data: CircuitRulesData,
  ): Promise<Circuit> {
    requirePerson(caller);
    requireCircuitManager(caller, await this.circuits.byId(em, circuitId));
    const rules = checkCircuitRules(data);
    return em.transactional(async (tx) => {
      const circuit = await this.repository.lockById(tx, circuitId);
      if (!circuit) throw new Error('ies: the circuit vanished');
      Object.assign(circuit, rules);
      await tx.flush();
      await this.audit.record(
        tx,
        actorOf(caller),
        circuit.managerId,
        'IES_CIRCUIT_RULES_CHANGED',
        `ies-circuit:${circuit.id}`,
      );
      return circuit;
    });
  }
}
