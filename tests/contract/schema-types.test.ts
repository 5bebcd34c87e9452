import { describe, expectTypeOf, it } from 'vitest';
import type { InferSelectModel } from 'drizzle-orm';
import type { carriers, customers, users, workspaces } from '../../db/sqlite/schema.ts';
import type { Entities } from '../../shared/domain/port.ts';

/**
 * The SQLite rows are the shared domain rows, field for field: the port adapter can hand a
 * stored row to a mutator as it is. (Checked by the type checker, which `npm test` runs.)
 */
describe('store rows equal domain rows', () => {
  it('workspaces', () => expectTypeOf<InferSelectModel<typeof workspaces>>().toEqualTypeOf<Entities['workspaces']>());
  it('users', () => expectTypeOf<InferSelectModel<typeof users>>().toEqualTypeOf<Entities['users']>());
  it('customers', () => expectTypeOf<InferSelectModel<typeof customers>>().toEqualTypeOf<Entities['customers']>());
  it('carriers', () => expectTypeOf<InferSelectModel<typeof carriers>>().toEqualTypeOf<Entities['carriers']>());
});
