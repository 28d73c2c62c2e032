// The outbox: messages written in the transaction of the event they tell of, delivered later by
// a dispatcher (claim with `for update skip locked`, retry with backoff, FAILED after the last
// attempt) through one transport per channel (EMAIL over SMTP, SMS through a provider adapter,
// PORTAL: the row itself). public-welfare's messages and third-sector's notifications use it.
export * from './dispatcher.js';
export * from './sql.js';
export * from './transports.js';
