// Where to connect: one URL plus an optional PostgreSQL schema, from options, the URL's `?schema=` or the environment.

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/trainyard';

/** Schema names are spliced into `search_path` and DDL, so only plain identifiers are accepted. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface ConnectionOptions {
  /** Defaults to DATABASE_URL, then DEFAULT_DATABASE_URL. May carry `?schema=<name>`. */
  url?: string;
  /** Overrides the URL's `?schema=` and DATABASE_SCHEMA. */
  schema?: string;
}

export interface Connection {
  /** The URL without its `schema` parameter (which `pg` does not understand). */
  connectionString: string;
  /** undefined means the server's default search_path (normally `public`). */
  schema: string | undefined;
}

export function resolveConnection(options: ConnectionOptions = {}, env = process.env): Connection {
  const raw = options.url ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`database URL is not a valid URL: ${redact(raw)}`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`database URL must start with postgresql://, got ${url.protocol}//`);
  }
  const fromUrl = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const schema = options.schema ?? fromUrl ?? (env.DATABASE_SCHEMA || undefined);
  if (schema !== undefined) assertSchemaName(schema);
  return { connectionString: url.toString(), schema };
}

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`schema name must match ${SCHEMA_NAME} (letters, digits, underscores), got ${JSON.stringify(schema)}`);
  }
}

/** `pg` startup option that makes unqualified names (raw SQL) resolve in the schema. */
export function searchPathOption(schema: string | undefined): string | undefined {
  return schema === undefined ? undefined : `-c search_path=${schema}`;
}

/** A URL with its password hidden, for error messages. */
export function redact(raw: string): string {
  return raw.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
