/** JSON values that clients send are kept as JSON text in both dialects, so a bare JSON string reads back as sent. */
export const toJsonText = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value))

export const fromJsonText = <T = unknown>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

/** SQLite has no booleans; both dialects store them as 0/1. */
export const toFlag = (value: boolean): number => (value ? 1 : 0)
