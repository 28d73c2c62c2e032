import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { SessionType, type SessionResult } from '../session/session.type.js';
import { CitizenLoginCompleteInput, CitizenLoginStartInput, LoginInput } from './auth.input.js';
import { CitizenLoginStartType } from './auth.type.js';
import type { AuthorizationStart } from './citizen-oidc.js';
import { ViewerType, type ViewerData } from './viewer.type.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly services: Services) {}

  @Query(() => ViewerType, {
    nullable: true,
    description: 'The logged-in person, or null when anonymous.',
  })
  viewer(@Ctx() ctx: SubgraphContext): Promise<ViewerData | null> {
    return this.services.auth.viewer(ctx.em, ctx.caller);
  }

  @Mutation(() => SessionType, {
    description:
      'Staff login with email and password (Argon2id). Revokes the caller’s current session (rotation). RATE_LIMITED after 10 failures in 15 minutes.',
  })
  login(
    @Arg('input', () => LoginInput, { description: 'Email and password.' }) input: LoginInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SessionResult> {
    return this.services.logins.login(ctx.em, ctx.caller, input);
  }

  @Mutation(() => Boolean, {
    description: 'Revokes the caller’s session. True when a session was revoked.',
  })
  logout(@Ctx() ctx: SubgraphContext): Promise<boolean> {
    return this.services.auth.logout(ctx.em, ctx.caller);
  }

  @Mutation(() => CitizenLoginStartType, {
    description:
      'Starts a citizen login (SPID/CIE via OpenID Connect: PKCE, state, nonce). SERVICE_UNAVAILABLE when the provider is not configured or not answering.',
  })
  startCitizenLogin(
    @Arg('input', () => CitizenLoginStartInput, {
      description: 'Where the provider sends the browser back.',
    })
    input: CitizenLoginStartInput,
  ): Promise<AuthorizationStart> {
    return this.services.citizens.start(input.redirectUri);
  }

  @Mutation(() => SessionType, {
    description:
      'Completes it: exchanges the code, checks state and nonce, reads fiscal_number; creates the person on first login. UNAUTHENTICATED for a bad state, nonce or code; SERVICE_UNAVAILABLE when the provider fails.',
  })
  completeCitizenLogin(
    @Arg('input', () => CitizenLoginCompleteInput, {
      description: 'The callback URL and the kept values.',
    })
    input: CitizenLoginCompleteInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SessionResult> {
    return this.services.logins.completeCitizenLogin(ctx.em, ctx.caller, input);
  }
}
