import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Staff login.' })
export class LoginInput {
  @Field({ description: 'The staff member’s email.' })
  email!: string;

  @Field({ description: 'The password.' })
  password!: string;
}

@InputType({ description: 'Asking for a password recovery link.' })
export class PasswordResetRequestInput {
  @Field({ description: 'The staff account’s e-mail; the link is sent there if it is one.' })
  email!: string;
}

@InputType({ description: 'Setting a new password with a recovery link.' })
export class PasswordResetInput {
  @Field({ description: 'The token of the link (its `token` query parameter).' })
  token!: string;

  @Field({ description: 'The new password (at least 12 characters).' })
  newPassword!: string;
}

@InputType({ description: 'Starting a citizen login.' })
export class CitizenLoginStartInput {
  @Field({ description: 'Where the OpenID provider sends the browser back (registered with it).' })
  redirectUri!: string;
}

@InputType({ description: 'Completing a citizen login, with what the portal kept from the start.' })
export class CitizenLoginCompleteInput {
  @Field({
    description: 'The full URL the provider redirected the browser to (with code and state).',
  })
  callbackUrl!: string;

  @Field({ description: 'The state returned by startCitizenLogin.' })
  state!: string;

  @Field({ description: 'The nonce returned by startCitizenLogin.' })
  nonce!: string;

  @Field({ description: 'The PKCE verifier returned by startCitizenLogin.' })
  codeVerifier!: string;
}
