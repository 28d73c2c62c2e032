// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '$lib/locale';
import type { GatewayCall } from '$lib/server/gateway';
import type { Viewer } from '$lib/server/viewer';

declare global {
  namespace App {
    interface Error {
      message: string;
      requestId?: string;
    }
    interface Locals {
      requestId: string;
      /** The client's address (forwarded to the gateway), when known. */
      clientAddress: string | null;
      /** The session cookie's token (null when anonymous). */
      sessionToken: string | null;
      /** The logged-in person, or null (anonymous, expired, or identity unavailable). */
      viewer: Viewer | null;
      /** The identity service (or the gateway) did not answer the viewer query. */
      identityUnavailable: boolean;
      locale: Locale;
      /** The gateway client bound to this request (session, client address, request id). */
      api: GatewayCall;
    }
    // interface PageData {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
