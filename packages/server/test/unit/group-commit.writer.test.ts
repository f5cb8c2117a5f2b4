import { describe, expect, it } from 'vitest'
import { GroupCommitWriter } from '../../src/ingest/group-commit.writer.js'
import type { InsertOutcome, InteractionRow, TenantRows } from '../../src/store/store.js'

const rowWithId = (id: string): InteractionRow => ({
  interaction: { id, tenant_id: 't', timestamp: '2026-01-01T00:00:00.000Z', status: 'success', received_at: '2026-01-01T00:00:00.000Z' },
  ts: 0,
  received_ts: 0,
})

/** A fake store that records each transaction and lets the test decide when it commits. */
class FakeStore {
  transactions: TenantRows[][] = []
  private release: (() => void)[] = []
  constructor(private readonly manual = false, private readonly fail = false) {}

  insertGroups(groups: TenantRows[]): Promise<InsertOutcome[][]> {
    this.transactions.push(groups)
    const outcomes = groups.map((g) => g.rows.map((r): InsertOutcome => (r.interaction.id.startsWith('dup') ? 'duplicate' : 'created')))
    if (this.fail) return Promise.reject(new Error('disk full'))
    if (!this.manual) return Promise.resolve(outcomes)
    return new Promise((resolve) => this.release.push(() => resolve(outcomes)))
  }

  commitNext(): void {
    this.release.shift()?.()
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('GroupCommitWriter', () => {
  it('writes requests of the same turn in one transaction and answers each with its own outcomes', async () => {
    const store = new FakeStore()
    const writer = new GroupCommitWriter(store, { maxBatchRows: 100 })
    const [a, b] = await Promise.all([
      writer.write('t1', [rowWithId('a1'), rowWithId('dup-a2')]),
      writer.write('t2', [rowWithId('b1')]),
    ])
    expect(a).toEqual(['created', 'duplicate'])
    expect(b).toEqual(['created'])
    expect(store.transactions).toHaveLength(1)
    expect(store.transactions[0]!.map((g) => g.tenantId)).toEqual(['t1', 't2'])
  })

  it('does not acknowledge before the transaction commits, and batches what arrives meanwhile', async () => {
    const store = new FakeStore(true)
    const writer = new GroupCommitWriter(store, { maxBatchRows: 100 })
    let firstDone = false
    const first = writer.write('t', [rowWithId('x1')]).then(() => (firstDone = true))
    await tick()
    expect(store.transactions).toHaveLength(1)
    const second = writer.write('t', [rowWithId('x2')])
    const third = writer.write('t', [rowWithId('x3')])
    await tick()
    expect(firstDone).toBe(false)
    expect(store.transactions).toHaveLength(1) // one transaction in flight at a time
    store.commitNext()
    await first
    await tick()
    expect(store.transactions).toHaveLength(2)
    expect(store.transactions[1]!.flatMap((g) => g.rows.map((r) => r.interaction.id))).toEqual(['x2', 'x3'])
    store.commitNext()
    await Promise.all([second, third])
  })

  it('splits a backlog larger than the batch limit, never splitting one request', async () => {
    const store = new FakeStore()
    const writer = new GroupCommitWriter(store, { maxBatchRows: 3 })
    await Promise.all([
      writer.write('t', [rowWithId('a'), rowWithId('b')]),
      writer.write('t', [rowWithId('c'), rowWithId('d')]),
      writer.write('t', [rowWithId('e')]),
    ])
    expect(store.transactions.map((tx) => tx.flatMap((g) => g.rows.length))).toEqual([[2], [2, 1]])
  })

  it('rejects every waiter of a failed transaction once each has failed on its own', async () => {
    const store = new FakeStore(false, true)
    const writer = new GroupCommitWriter(store, { maxBatchRows: 10 })
    const results = await Promise.allSettled([writer.write('t', [rowWithId('a')]), writer.write('t', [rowWithId('b')])])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(store.transactions.map((groups) => groups.flatMap((g) => g.rows.map((r) => r.interaction.id)))).toEqual([['a', 'b'], ['a'], ['b']])
  })

  it('answers the requests grouped with one the database refuses, by retrying each alone', async () => {
    const store = new FakeStore()
    const refused = (groups: TenantRows[]) => groups.some((g) => g.rows.some((r) => r.interaction.id === 'poison'))
    const insert = store.insertGroups.bind(store)
    store.insertGroups = (groups) => (refused(groups) ? (store.transactions.push(groups), Promise.reject(new Error('invalid byte sequence'))) : insert(groups))
    const writer = new GroupCommitWriter(store, { maxBatchRows: 10 })
    const results = await Promise.allSettled([writer.write('t', [rowWithId('a')]), writer.write('t', [rowWithId('poison')]), writer.write('t', [rowWithId('dup-c')])])
    expect(results).toEqual([
      { status: 'fulfilled', value: ['created'] },
      { status: 'rejected', reason: new Error('invalid byte sequence') },
      { status: 'fulfilled', value: ['duplicate'] },
    ])
    expect(store.transactions).toHaveLength(4)
  })

  it('drains what is queued, then refuses new writes', async () => {
    const store = new FakeStore()
    const writer = new GroupCommitWriter(store, { maxBatchRows: 10 })
    const pending = writer.write('t', [rowWithId('q1')])
    await writer.drain()
    await expect(pending).resolves.toEqual(['created'])
    await expect(writer.write('t', [rowWithId('late')])).rejects.toMatchObject({ status: 503 })
  })
})

describe('GroupCommitWriter with several transactions in flight', () => {
  it('starts up to maxInFlight transactions, then batches the rest behind them', async () => {
    const store = new FakeStore(true)
    const writer = new GroupCommitWriter(store, { maxBatchRows: 100, maxInFlight: 2 })
    const first = writer.write('t', [rowWithId('a')])
    await tick()
    const second = writer.write('t', [rowWithId('b')])
    await tick()
    const third = writer.write('t', [rowWithId('c')])
    const fourth = writer.write('t', [rowWithId('d')])
    await tick()
    expect(store.transactions).toHaveLength(2) // a and b in flight; c and d wait together
    store.commitNext()
    await first
    await tick() // the freed slot is taken on the next turn of the event loop
    await tick()
    expect(store.transactions).toHaveLength(3)
    expect(store.transactions[2]!.flatMap((g) => g.rows.map((r) => r.interaction.id))).toEqual(['c', 'd'])
    store.commitNext()
    store.commitNext()
    await Promise.all([second, third, fourth])
    const drained = writer.drain()
    await expect(drained).resolves.toBeUndefined()
  })
})
