// Node-side access to the run's test database (the one global-setup made), for direct SQL.
import { inject } from 'vitest';
import { connect, type DatabaseConnection } from '../../src/adapters/db/client.ts';

export function testDatabase(max = 2): DatabaseConnection {
  return connect(inject('databaseUrl'), inject('wsProxy'), max);
}
