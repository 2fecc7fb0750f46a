import { describe, expect, it } from 'vitest';
import { parseMigration } from '../migration-lint/parse.js';
import { schemaEscape } from './scope.js';

async function escapes(sql: string): Promise<(string | undefined)[]> {
  return (await parseMigration(sql, 'm.sql')).map((statement) => schemaEscape(statement.node));
}

describe('schemaEscape', () => {
  it('lets unqualified statements and pg_catalog names through', async () => {
    expect(await escapes("CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, born pg_catalog.date);\nCREATE TYPE mood AS ENUM ('ok');\nCREATE INDEX users_name ON users (name);\nALTER TABLE users ADD COLUMN m mood;\nSELECT pg_catalog.now();\nDROP TABLE old;\nCOMMENT ON TABLE users IS 'x';")).toEqual(Array(7).fill(undefined));
  });

  it('names each way a statement reaches another schema', async () => {
    expect(
      await escapes(
        'CREATE TABLE public.a (id int);\nALTER TABLE app.users ADD COLUMN x int;\nCREATE TABLE b (m public.mood);\nDROP TABLE public.x;\nCREATE TYPE public.m AS ENUM (\'a\');\nSET search_path TO public;\nCREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS \'select 1\';\nALTER TABLE a SET SCHEMA other;\nCREATE SCHEMA s;\nSELECT public.f();\nCOMMENT ON TABLE public.a IS \'x\';\nCREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\nCREATE VIEW v AS SELECT * FROM public.users;\nGRANT SELECT ON ALL TABLES IN SCHEMA app TO reader;\nSELECT set_config(\'search_path\', \'public\', false);',
      ),
    ).toEqual([
      'names "public.a" with its schema',
      'names "app.users" with its schema',
      'names "public.mood" with its schema',
      'names "public.x" with its schema',
      'names "public.m" with its schema',
      'sets search_path',
      'names "public.f" with its schema',
      'moves an object to schema "other"',
      'creates schema "s"',
      'names "public.f" with its schema',
      'names "public.a" with its schema',
      'installs an extension into a named schema',
      'names "public.users" with its schema',
      'grants on all objects in a schema',
      'calls set_config, which can change search_path',
    ]);
  });
});
