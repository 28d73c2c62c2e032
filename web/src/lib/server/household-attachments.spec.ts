import { describe, expect, it } from 'vitest';
import { attachmentOutcome } from './household-attachments';

describe('attachmentOutcome', () => {
  it('takes the id of a stored attachment', () => {
    expect(attachmentOutcome(201, { attachmentId: 'a1' })).toEqual({
      ok: true,
      attachmentId: 'a1',
    });
    // A 201 without an id is not a success the page can show.
    expect(attachmentOutcome(201, {})).toMatchObject({ ok: false, problem: 'unavailable' });
  });

  it('maps refusals to problems and keeps the API’s field errors', () => {
    const body = {
      errors: [
        {
          message: 'Only PDF, JPEG or PNG files.',
          extensions: {
            code: 'BAD_USER_INPUT',
            messages: { it: 'Dati non validi.', en: 'Invalid input.' },
            fields: [
              {
                field: 'file',
                message: {
                  it: 'Sono ammessi solo PDF, JPEG o PNG.',
                  en: 'Only PDF, JPEG or PNG files.',
                },
              },
            ],
          },
        },
      ],
    };
    const invalid = attachmentOutcome(400, body);
    expect(invalid).toMatchObject({ ok: false, problem: 'invalid' });
    expect(invalid.ok ? [] : invalid.error?.fields).toEqual([
      {
        field: 'file',
        message: { it: 'Sono ammessi solo PDF, JPEG o PNG.', en: 'Only PDF, JPEG or PNG files.' },
      },
    ]);
    for (const [status, problem] of [
      [401, 'unauthenticated'],
      [403, 'forbidden'],
      [404, 'notFound'],
      [413, 'tooLarge'],
      [502, 'unavailable'],
    ] as const) {
      expect(attachmentOutcome(status, null)).toMatchObject({ ok: false, problem });
    }
  });
});
