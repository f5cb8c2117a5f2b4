import type { Command } from 'commander'
import { loadConfig, type Config } from '../config/config.js'

export interface GlobalFlags {
  data?: string
  databaseUrl?: string
  json?: boolean
}

/** What every command needs: the parsed config (flags over env) and a way to print for humans or scripts. */
export interface CliContext {
  config(command: Command, extra?: Partial<Record<keyof Config, unknown>>): Config
  print(command: Command, value: unknown, text: string): void
}

export function createCliContext(env: Record<string, string | undefined>, out: (text: string) => void): CliContext {
  return {
    config(command, extra = {}) {
      const flags = command.optsWithGlobals<GlobalFlags>()
      return loadConfig(env, { dataDir: flags.data, databaseUrl: flags.databaseUrl, ...extra })
    },
    print(command, value, text) {
      out(command.optsWithGlobals<GlobalFlags>().json ? JSON.stringify(value, null, 2) : text)
    },
  }
}
