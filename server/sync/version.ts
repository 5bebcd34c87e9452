import { MIN_SCHEMA_VERSION, SCHEMA_VERSION } from '../../shared/sync/protocol.ts';
import { HttpError } from '../http-error.ts';

/** A desktop outside the versions this server replays keeps its queue until it is updated. */
export function assertSchemaVersion(version: number): void {
  if (version < MIN_SCHEMA_VERSION || version > SCHEMA_VERSION) {
    throw new HttpError(
      409,
      'VersionNotSupported',
      `This server syncs desktop versions ${String(MIN_SCHEMA_VERSION)}–${String(SCHEMA_VERSION)}; this desktop speaks version ${String(version)}. Your changes are kept; update the app to send them.`,
    );
  }
}
