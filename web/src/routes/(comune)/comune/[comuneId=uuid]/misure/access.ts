/**
 * True when the viewer is the Comune's active MANAGER (responsabile) or a platform admin: they
 * publish and close campaigns, set budgets and compute rankings. The API enforces the same rule,
 * which is the money check's (`canReconcileMoney` in `$lib/roles`): one rule, written once.
 */
export { canReconcileMoney as isComuneManager } from '$lib/roles';
