/**
 * Runs `work` over `items` with at most `concurrency` running at once, in
 * order of start; resolves when all have finished. `work` handles its own
 * errors (a rejection stops nothing else but is rethrown at the end).
 */
export async function runConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  let firstError: unknown = null
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      try {
        await work(item)
      } catch (error) {
        firstError ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker))
  if (firstError) {
    throw firstError
  }
}

/**
 * A queue of one: each call's `work` starts once the work of every earlier
 * call has finished (resolved or not). What keeps a process from running
 * all the batches it was handed at once (Medusa's local event bus starts
 * every subscriber of every event it is given right away).
 */
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve()
  return <T>(work: () => Promise<T>) => {
    const result = last.then(work, work)
    last = result.catch(() => undefined)
    return result
  }
}
