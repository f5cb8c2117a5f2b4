import { createReadStream } from 'node:fs'
import { copyFile, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import type { Readable } from 'node:stream'
import { eachLimited, PARALLEL_OBJECTS } from './each-limited.js'
import type { ArchiveSink, SinkBody } from './archive-sink.js'

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)])))
  return nested.flat()
}

/**
 * Objects as files under a root directory (default `<data dir>/archive`). A put writes a temporary
 * file beside the target, syncs it, renames it into place and syncs the directory, so an object is
 * either whole and durable or absent.
 */
export class FilesystemSink implements ArchiveSink {
  readonly target = 'filesystem' as const
  readonly keyPrefix = ''
  readonly storageClass = 'filesystem'

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const path = join(this.root, ...key.split('/'))
    if (relative(this.root, path).startsWith('..')) throw new Error(`Archive key '${key}' leaves the archive directory`)
    return path
  }

  /** Every file is written and synced under a temporary name, then renamed; each directory is synced once. */
  async putAll(entries: { key: string; body: SinkBody }[]): Promise<void> {
    const paths = entries.map(({ key }) => this.pathOf(key))
    const directories = [...new Set(paths.map((path) => dirname(path)))]
    await eachLimited(directories, PARALLEL_OBJECTS, async (directory) => void (await mkdir(directory, { recursive: true })))
    // One archive run per tenant at a time (the tenant lock), so a fixed name is safe, and a retry replaces what a crash left.
    await eachLimited(entries, PARALLEL_OBJECTS, async ({ body }, index) => {
      const temporary = `${paths[index]}.tmp`
      if (Buffer.isBuffer(body)) await writeFile(temporary, body)
      else await copyOrMove(body.file, temporary)
      await fsync(temporary)
    })
    await eachLimited(paths, PARALLEL_OBJECTS, (path) => rename(`${path}.tmp`, path))
    await eachLimited(directories, PARALLEL_OBJECTS, fsync)
  }

  async get(key: string): Promise<Readable | undefined> {
    const path = this.pathOf(key)
    try {
      await stat(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    return createReadStream(path)
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key)
    await rm(`${path}.tmp`, { force: true })
    await rm(path, { force: true })
  }

  async list(prefix: string): Promise<string[]> {
    const files = await walk(this.root)
    return files
      .map((file) => relative(this.root, file).split(sep).join('/'))
      .filter((key) => key.startsWith(prefix) && !key.endsWith('.tmp'))
      .sort()
  }
}

/** A staged file is consumed by the put: renamed when on the same filesystem, else copied. */
async function copyOrMove(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    await copyFile(from, to)
  }
}
