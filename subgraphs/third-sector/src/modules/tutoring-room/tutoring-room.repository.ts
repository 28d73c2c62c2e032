import type { EntityManager } from '@mikro-orm/postgresql';
import { TutoringRoom, TutoringRoomWindow } from './tutoring-room.entity.js';

/** The provider's rooms, by name. */
export function findRoomsOfProvider(
  em: EntityManager,
  providerId: string,
): Promise<TutoringRoom[]> {
  return em.find(TutoringRoom, { providerId }, { orderBy: { name: 'asc' } });
}

/** A room by id, or by id and provider. */
export function findRoom(
  em: EntityManager,
  where: { id: string; providerId?: string },
): Promise<TutoringRoom | null> {
  return em.findOne(TutoringRoom, where);
}

/** Rooms by id. */
export async function findRoomsById(
  em: EntityManager,
  ids: string[],
): Promise<Map<string, TutoringRoom>> {
  const rows = await em.find(TutoringRoom, { id: { $in: ids } });
  return new Map(rows.map((r) => [r.id, r]));
}

/** A room's weekly windows, by weekday and opening time. */
export function findWindows(em: EntityManager, roomId: string): Promise<TutoringRoomWindow[]> {
  return em.find(TutoringRoomWindow, { roomId }, { orderBy: { weekday: 'asc', startsAt: 'asc' } });
}

/** Deletes a room's weekly windows (an edit replaces them). */
export async function deleteWindows(tx: EntityManager, roomId: string): Promise<void> {
  await tx.nativeDelete(TutoringRoomWindow, { roomId });
}
