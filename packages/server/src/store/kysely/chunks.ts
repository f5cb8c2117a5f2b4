/** Rows or ids per statement: well inside both databases' bound-parameter limits whatever the batch size. */
export const CHUNK = 500

export const chunks = <T>(items: T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size))
