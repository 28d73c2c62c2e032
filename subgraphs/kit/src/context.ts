import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from './caller.js';

/** What every resolver of a subgraph gets: its own EntityManager, the caller, the request id. */
export interface SubgraphContext {
  /** Forked for this request: its identity map is not shared with any other request. */
  em: EntityManager;
  /** Established by the gateway from the session; never from the client. */
  caller: Caller;
  requestId: string;
  /** When the gateway stops waiting (epoch ms): nothing may commit after it (deadline.ts). */
  deadline?: number;
  /**
   * The client's network address, as the gateway established it (signed in its token); absent
   * when the gateway did not know it. Login throttling keys on it.
   */
  clientAddress?: string;
}
