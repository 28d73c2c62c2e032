// Names the tutoring repositories' SQL interpolates (constants, never user input).

/** The subgraph's PostgreSQL schema, quoted. */
export const S = '"third_sector"';

/** Rome's time zone: lessons are planned and checked on Rome's wall clock. */
export const ROME = 'Europe/Rome';
