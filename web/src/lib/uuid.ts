// The API's ids are UUIDs. Pure, shared by the route matcher (`src/params/uuid.ts`, which runs in
// the browser too) and the server's checks of ids sent in forms.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a value is a UUID (any version, any case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
