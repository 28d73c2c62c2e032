/** The SQLSTATE of a database error (`23505` unique, `23P01` exclusion, …), if it carries one. */
export function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; sqlState?: unknown };
  return typeof e.code === 'string'
    ? e.code
    : typeof e.sqlState === 'string'
      ? e.sqlState
      : undefined;
}

/** The name of the constraint a database error names (empty when none). */
export function constraintOf(err: unknown): string {
  const e = err as { constraint?: unknown; message?: unknown };
  if (typeof e.constraint === 'string') return e.constraint;
  const match = /constraint "([^"]+)"/.exec(typeof e.message === 'string' ? e.message : '');
  return match?.[1] ?? '';
}
