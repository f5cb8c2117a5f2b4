import { createHash, randomBytes } from 'node:crypto'

/** Keys are 256-bit random secrets, so a fast hash is enough to store them safely. */
export const generateKeySecret = (): string => `il_${randomBytes(32).toString('base64url')}`

export const hashKeySecret = (secret: string): string => createHash('sha256').update(secret).digest('hex')

export const keyPrefixOf = (secret: string): string => secret.slice(0, 10)
