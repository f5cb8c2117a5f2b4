import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrayLiteral } from '../../src/store/postgres/array-literal.js'
import { TEST_DATABASE_URL } from '../support/databases.js'

/** PostgreSQL itself parses each literal: what it reads back must be exactly what went in. */
describe('arrayLiteral (PostgreSQL)', () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  beforeAll(() => client.connect())
  afterAll(() => client.end())

  const roundTrip = async (values: unknown[], type: string) =>
    (await client.query<{ v: unknown[] }>(`SELECT $1::${type}[] AS v`, [arrayLiteral(values)])).rows[0]!.v

  it('keeps text that array syntax would otherwise change', async () => {
    const texts = ['', 'NULL', 'null', ' padded ', 'a,b', '{braces}', 'say "hi"', 'back\\slash', '\\"', 'line\nbreak\ttab', 'ünïcødé 😀', null]
    expect(await roundTrip(texts, 'text')).toEqual(texts)
  })

  it('keeps numbers, including exponents and negatives, and nulls', async () => {
    expect(await roundTrip([0, -1.5, 1e-8, 1763000000123, null, 2 ** 53 - 1], 'float8')).toEqual([0, -1.5, 1e-8, 1763000000123, null, 2 ** 53 - 1])
    expect((await roundTrip([1763000000123, null, -7], 'int8')).map((v) => (v === null ? null : Number(v)))).toEqual([1763000000123, null, -7])
  })

  it('writes buffers as bytea', async () => {
    const bytes = Buffer.from([0, 1, 0x5c, 0x22, 0xff])
    expect(await roundTrip([bytes, null], 'bytea')).toEqual([bytes, null])
  })

  it('refuses values it has no literal for', () => {
    expect(() => arrayLiteral([true])).toThrow(/boolean/)
  })
})
