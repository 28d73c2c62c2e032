import { DEFAULT_NOTICE_MAX_LENGTH } from './config.js';
import { NoticeRepository } from './modules/notice/notice.repository.js';
import { NoticeService } from './modules/notice/notice.service.js';

export interface ServiceSettings {
  /** The longest notice body, in characters. */
  noticeMaxLength?: number;
}

/** Every service of the subgraph, wired once per process (they keep no per-request state). */
export function createServices(settings: ServiceSettings = {}) {
  const notices = new NoticeService(
    new NoticeRepository(),
    settings.noticeMaxLength ?? DEFAULT_NOTICE_MAX_LENGTH,
  );
  return { notices };
}

export type Services = ReturnType<typeof createServices>;
