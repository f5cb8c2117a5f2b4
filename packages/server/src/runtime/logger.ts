import { pino, type Logger } from 'pino'

/** Structured JSON logs on stdout; the level comes from config. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'interlog' } })
}
