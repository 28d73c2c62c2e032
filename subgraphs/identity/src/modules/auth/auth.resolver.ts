import type { SubgraphContext } from '@welfare/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Services } from '../../services.js';
import { SessionType, type SessionResult } from '../session/session.type.js';
import {
  CitizenLoginCompleteInput,
  CitizenLoginStartInput,
  LoginInput,
  PasswordResetInput,
  PasswordResetRequestInput,
} from './auth.input.js';
import { UNKNOWN_ADDRESS } from './login-throttle.js';
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
      'Staff login with email and password (Argon2id). Revokes the caller’s current session (rotation). Throttled per account and client address: after a few failures each further one doubles the wait, and an attempt during the wait is RATE_LIMITED (with `retryAfterSeconds`) without checking the password; the same account from another address is not affected. Too many failures from one address across accounts: RATE_LIMITED until its window ends.',
  })
  login(
    @Arg('input', () => LoginInput, { description: 'Email and password.' }) input: LoginInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<SessionResult> {
    return this.services.logins.login(ctx.em, ctx.caller, input, ctx.clientAddress);
  }

  @Mutation(() => Boolean, {
    description:
      'Staff password recovery: e-mails a one-time link to set a new password (valid for PASSWORD_RESET_TTL_MINUTES, 30 by default) when the e-mail belongs to a staff account. Always answers true for a well-formed e-mail, known or not, after the same work; BAD_USER_INPUT for a malformed one; RATE_LIMITED (with `retryAfterSeconds`) after too many requests from one client address.',
  })
  requestPasswordReset(
    @Arg('input', () => PasswordResetRequestInput, { description: 'The account’s e-mail.' })
    input: PasswordResetRequestInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.passwordResets.request(
      ctx.em,
      input.email,
      ctx.clientAddress ?? UNKNOWN_ADDRESS,
    );
  }

  @Mutation(() => Boolean, {
    description:
      'Sets a new password with the token of a recovery link (spent once; BAD_USER_INPUT on `token` when unknown, used, retired or expired, on `newPassword` when it breaks the password policy). Revokes every session of the account; the person then logs in with the new password.',
  })
  resetPassword(
    @Arg('input', () => PasswordResetInput, {
      description: 'The link’s token and the new password.',
    })
    input: PasswordResetInput,
    @Ctx() ctx: SubgraphContext,
  ): Promise<boolean> {
    return this.services.passwordResets.reset(ctx.em, input.token, input.newPassword);
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
