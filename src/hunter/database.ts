import pg from 'pg';
import type { ColumnInfo, Database, TableLookup } from './port.ts';

export interface DatabaseOptions {
  readonly url: string;
  readonly timeoutMs: number;
}

const COLUMNS_SQL = `
  select table_schema, column_name, data_type, character_maximum_length, is_nullable
  from information_schema.columns
  where table_name = $1 and table_schema = any(current_schemas(false))
  order by table_schema, ordinal_position`;

/**
 * Read-only lookups in Hunter's database. One short-lived connection per call: the check
 * runs once per phase, and a pool would outlive a cancelled run.
 */
export function createDatabase(options: DatabaseOptions): Database {
  return {
    async table(name: string, signal: AbortSignal): Promise<TableLookup> {
      if (signal.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
      const client = new pg.Client({
        connectionString: options.url,
        connectionTimeoutMillis: options.timeoutMs,
        statement_timeout: options.timeoutMs,
        query_timeout: options.timeoutMs,
        application_name: 'pc-verify',
      });
      const onAbort = () => void client.end().catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await client.connect();
        await client.query('set default_transaction_read_only = on');
        const { rows } = await client.query<ColumnRow>(COLUMNS_SQL, [name]);
        if (rows.length === 0) return { ok: false, reason: 'missing', message: `table ${name} not found` };
        const schema = rows[0]!.table_schema;
        return { ok: true, schema, columns: rows.filter((r) => r.table_schema === schema).map(toColumn) };
      } catch (error) {
        if (signal.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
        const text = error instanceof Error ? error.message : String(error);
        const reason = /timeout/i.test(text) ? 'timeout' : 'unreachable';
        return { ok: false, reason, message: withoutCredentials(text) };
      } finally {
        signal.removeEventListener('abort', onAbort);
        await client.end().catch(() => undefined);
      }
    },
  };
}

interface ColumnRow {
  table_schema: string;
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
  is_nullable: 'YES' | 'NO';
}

function toColumn(row: ColumnRow): ColumnInfo {
  return {
    name: row.column_name,
    dataType: row.data_type,
    maxLength: row.character_maximum_length,
    nullable: row.is_nullable === 'YES',
  };
}

function withoutCredentials(text: string): string {
  return text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+):[^@\s]+@/g, '$1:[redacted]@');
}
