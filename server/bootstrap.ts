import { v7 as uuidv7 } from 'uuid';
import { hashPassword } from '../db/password.ts';
import { PgTxPort } from '../db/pg/port.ts';
import { parseInput } from '../shared/contract/parse.ts';
import { sessionCommands } from '../shared/contract/session.ts';
import { runMutation } from '../shared/domain/mutators/index.ts';
import type { ServerDatabase } from './database.ts';
import { writeAudit, writeChangeLog } from './sync/outcome.ts';

/**
 * `npm run server -- create-admin`: the workspace and its first administrator, made by the same
 * shared mutator a desktop's first run uses, with change-log entries so every desktop pulls them.
 */
export async function createFirstAdmin(
  db: ServerDatabase,
  input: { workspaceName: string; name: string; email: string; password: string },
  seal: (secret: string) => string,
): Promise<{ userId: string }> {
  // The checks the desktop's first run makes (a password of at least 10 characters, a real email).
  const checked = parseInput(sessionCommands['workspace.setup'].input, input);
  const userId = uuidv7();
  const passwordHash = await hashPassword(checked.password);
  await db.transaction(async (tx) => {
    const now = new Date().toISOString();
    const port = new PgTxPort(tx, { actor: { userId, roles: [] }, now: () => now, newId: () => uuidv7(), seal });
    await runMutation(port, 'workspace.setup', {
      workspaceName: checked.workspaceName,
      name: checked.name,
      email: checked.email,
      workspaceId: uuidv7(),
      userId,
      passwordHash,
    });
    await port.flush();
    await writeChangeLog(tx, port.changes);
    await writeAudit(tx, port.changes, { userId, clientId: 'server', mutationId: 0, name: 'workspace.setup', at: now });
  });
  return { userId };
}
