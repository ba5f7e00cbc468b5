/**
 * A scheduled job's schedule from a deploy setting: a cron expression as
 * given, a whole number as an interval in milliseconds, else `fallback`.
 */
export function jobSchedule(setting: string | undefined, fallback: string): string | { interval: number } {
  const value = setting?.trim()
  if (!value) {
    return fallback
  }
  return /^\d+$/.test(value) ? { interval: Number(value) } : value
}
