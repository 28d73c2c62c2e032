import { Field, ObjectType } from 'type-graphql';

@ObjectType('CitizenLoginStart', { description: 'A citizen login just started.' })
export class CitizenLoginStartType {
  @Field({ description: 'Where to send the browser (the SPID/CIE-shaped OpenID provider).' })
  authorizationUrl!: string;

  @Field({ description: 'Anti-forgery value: the portal keeps it until the callback.' })
  state!: string;

  @Field({
    description: 'Binds the ID token to this login: the portal keeps it until the callback.',
  })
  nonce!: string;

  @Field({
    description: 'PKCE verifier: the portal keeps it in an HttpOnly cookie until the callback.',
  })
  codeVerifier!: string;
}
