import { httpRequest } from '@welfare/kit/client';

/** One GraphQL response as a client sees it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: {
      code?: string;
      fields?: Array<{ field: string; message: { it: string; en: string } }>;
      requestId?: string;
      service?: string;
      [key: string]: unknown;
    };
  }>;
  headers: Headers;
}

/**
 * POSTs an operation as a client would (JSON body), with an optional session token. Sent with the
 * kit's lean client (kept-alive connections, no WHATWG fetch machinery): a benchmark's client then
 * costs little CPU beside the platform it measures. `headers` is a fetch `Headers`, made when read.
 */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await httpRequest(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      // Names in lower case: a caller's header replaces the default of the same name.
      ...Object.fromEntries(
        Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLResponse<T>['errors'] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: text }] };
  }
  let headers: Headers | undefined;
  return {
    status: response.status,
    get headers() {
      return (headers ??= new Headers([...response.headers]));
    },
    ...body,
  };
}

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      viewer {
        platformAdmin
        person {
          id
          givenName
        }
        memberships {
          role
          organisation {
            id
            kind
            name
          }
        }
      }
    }
  }
`;

export interface LoginResult {
  login: {
    token: string;
    viewer: {
      platformAdmin: boolean;
      person: { id: string; givenName: string };
      memberships: Array<{
        role: string;
        organisation: { id: string; kind: string; name: string };
      }>;
    };
  };
}

/** Logs a staff member in through the gateway and returns the session token and viewer. */
export async function login(gatewayUrl: string, email: string, password: string) {
  const response = await gql<LoginResult>(gatewayUrl, LOGIN, { input: { email, password } });
  if (!response.data?.login) {
    throw new Error(`login failed for ${email}: ${JSON.stringify(response.errors)}`);
  }
  return response.data.login;
}
