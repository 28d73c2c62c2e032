import { Field, ObjectType } from 'type-graphql';
import { ViewerType, type ViewerData } from '../auth/viewer.type.js';

/** What a login returns (the service's result). */
export interface SessionResult {
  token: string;
  expiresAt: Date;
  viewer: ViewerData;
}

@ObjectType('Session', { description: 'A session just opened by a login.' })
export class SessionType {
  @Field({
    description: 'Opaque session token: the portal stores it in an HttpOnly cookie. Shown once.',
  })
  token!: string;

  @Field({ description: 'When the session ends (it can be revoked earlier by logout).' })
  expiresAt!: Date;

  @Field(() => ViewerType, { description: 'Who is logged in.' })
  viewer!: ViewerType;
}
