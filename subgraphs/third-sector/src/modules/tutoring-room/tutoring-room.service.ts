import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, FieldErrors, type Caller } from '@welfare/kit';
import { isProviderAdmin, isUuid, requirePerson } from '@welfare/kit/access';
import { isIsoDate } from '@welfare/kit/dates';
import { sqlState } from '../shared/db-errors.js';
import { canSeeProvider } from '../tutoring-shared/access.js';
import { cleanText, isClock } from '../tutoring-shared/values.js';
import { TutoringRoom, TutoringRoomWindow } from './tutoring-room.entity.js';
import {
  deleteWindows,
  findRoom,
  findRoomsOfProvider,
  findWindows,
} from './tutoring-room.repository.js';

export interface WindowInput {
  weekday: number;
  /** `HH:MM`, Rome local time. */
  startsAt: string;
  endsAt: string;
  validFrom?: string | null;
  validUntil?: string | null;
}

export interface RoomInput {
  providerId: string;
  /** Edit this room (its windows are replaced); a new room without it. */
  id?: string | null;
  name: string;
  address: string;
  windows: WindowInput[];
}

const MAX_WINDOWS = 30;

const roomNotFound = () =>
  DomainError.notFound({ it: 'Stanza non trovata.', en: 'Room not found.' });

/** Checks a room's fields and windows, adding an error per invalid one; the clean texts. */
function validateRoom(input: RoomInput, errors: FieldErrors): { name: string; address: string } {
  const name = cleanText(input.name);
  const address = cleanText(input.address);
  if (name.length < 3 || name.length > 200) {
    errors.add('name', 'Il nome va da 3 a 200 caratteri.', 'The name takes 3 to 200 characters.');
  }
  if (address.length < 3 || address.length > 300) {
    errors.add(
      'address',
      'L’indirizzo va da 3 a 300 caratteri.',
      'The address takes 3 to 300 characters.',
    );
  }
  if (input.windows.length === 0 || input.windows.length > MAX_WINDOWS) {
    errors.add(
      'windows',
      `Indicare da 1 a ${MAX_WINDOWS} fasce di disponibilità.`,
      `Give 1 to ${MAX_WINDOWS} availability windows.`,
    );
  }
  input.windows.forEach((w, i) => validateWindow(w, `windows.${i}`, errors));
  if (input.id && !isUuid(input.id)) errors.add('id', 'Stanza non trovata.', 'Room not found.');
  return { name, address };
}

/** One weekly window: a weekday, two clock times in order, optional validity days in order. */
function validateWindow(w: WindowInput, at: string, errors: FieldErrors): void {
  if (!Number.isInteger(w.weekday) || w.weekday < 1 || w.weekday > 7) {
    errors.add(`${at}.weekday`, 'Giorno non valido.', 'Invalid weekday.');
  }
  const startOk = isClock(w.startsAt);
  const endOk = isClock(w.endsAt);
  if (!startOk) errors.add(`${at}.startsAt`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
  if (!endOk) errors.add(`${at}.endsAt`, 'Ora non valida (HH:MM).', 'Invalid time (HH:MM).');
  if (startOk && endOk && w.endsAt <= w.startsAt) {
    errors.add(`${at}.endsAt`, 'La fine deve seguire l’inizio.', 'The end must follow the start.');
  }
  if (w.validFrom && !isIsoDate(w.validFrom)) {
    errors.add(`${at}.validFrom`, 'Data non valida.', 'Invalid date.');
  }
  if (w.validUntil && !isIsoDate(w.validUntil)) {
    errors.add(`${at}.validUntil`, 'Data non valida.', 'Invalid date.');
  }
  if (w.validFrom && w.validUntil && w.validUntil < w.validFrom) {
    errors.add(`${at}.validUntil`, 'La fine precede l’inizio.', 'The end precedes the start.');
  }
}

/**
 * Rooms: places of the provider (shared by its programmes) with weekly availability windows in
 * Rome time. Its ADMIN adds and edits them; its ADMIN and TUTORs read them.
 */
export class TutoringRoomService {
  /**
   * The provider's ADMIN adds a room, or edits one of its rooms (the weekly windows are
   * replaced; lessons already planned stay). Every invalid field at once, nothing written.
   */
  async save(em: EntityManager, caller: Caller, input: RoomInput): Promise<TutoringRoom> {
    requirePerson(caller);
    if (!isUuid(input.providerId) || !isProviderAdmin(caller, input.providerId)) {
      throw DomainError.forbidden();
    }
    const errors = new FieldErrors();
    const clean = validateRoom(input, errors);
    errors.throwIfAny();
    try {
      return await em.fork().transactional((tx) => this.write(tx, input, clean));
    } catch (err) {
      if (sqlState(err) === '23505') {
        throw DomainError.badInput([
          {
            field: 'name',
            message: {
              it: 'Esiste già una stanza con questo nome.',
              en: 'There is already a room with this name.',
            },
          },
        ]);
      }
      throw err;
    }
  }

  /** Writes the room (new, or the edited one with its windows deleted), then its windows. */
  private async write(
    tx: EntityManager,
    input: RoomInput,
    clean: { name: string; address: string },
  ): Promise<TutoringRoom> {
    let room: TutoringRoom;
    if (input.id) {
      const existing = await findRoom(tx, { id: input.id, providerId: input.providerId });
      if (!existing) throw roomNotFound();
      existing.name = clean.name;
      existing.address = clean.address;
      await deleteWindows(tx, existing.id);
      room = existing;
    } else {
      room = tx.create(TutoringRoom, { providerId: input.providerId, ...clean });
    }
    // The room first: its windows reference it (the entities declare no relation).
    await tx.flush();
    for (const w of input.windows) {
      tx.create(TutoringRoomWindow, {
        roomId: room.id,
        weekday: w.weekday,
        startsAt: w.startsAt,
        endsAt: w.endsAt,
        validFrom: w.validFrom || null,
        validUntil: w.validUntil || null,
      });
    }
    await tx.flush();
    return room;
  }

  /** The provider's rooms (its ADMIN and TUTORs: FORBIDDEN otherwise). */
  async ofProvider(em: EntityManager, caller: Caller, providerId: string): Promise<TutoringRoom[]> {
    requirePerson(caller);
    if (!isUuid(providerId) || !canSeeProvider(caller, providerId)) {
      throw DomainError.forbidden();
    }
    return findRoomsOfProvider(em, providerId);
  }

  /** A room by id. */
  async get(em: EntityManager, id: string): Promise<TutoringRoom | null> {
    return findRoom(em, { id });
  }

  /** A room's weekly windows, by weekday and time. */
  async windows(em: EntityManager, roomId: string): Promise<TutoringRoomWindow[]> {
    return findWindows(em, roomId);
  }
}
