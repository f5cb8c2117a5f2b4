import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely'

/**
 * Kysely's SQLite dialect with transactions that take the write lock when they begin. Another
 * connection may write the same file (the CLI while the server runs); a deferred transaction that read
 * first could not then write once that connection had committed (SQLITE_BUSY_SNAPSHOT), while one that
 * begins IMMEDIATE waits for the lock (busy_timeout) and then reads the latest state.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings)
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings)
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}
