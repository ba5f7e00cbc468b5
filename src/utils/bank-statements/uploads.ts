import { randomUUID } from "node:crypto"

// Uploaded files held in this process for the import that reads them. A
// 10 MB file carried as base64 in a workflow's input is copied (cloned,
// serialized) at each of its checkpoints, ~50 ms a copy on a 2-core machine,
// each a stall of the event loop; an id costs nothing to copy.
const held = new Map<string, { content: Buffer; timer: NodeJS.Timeout }>()

/** How long an upload is held when nobody releases it (a crashed request). */
export const UPLOAD_HOLD_MS = 10 * 60 * 1000

/** Holds an uploaded file for the import about to run in this process; answers its id (`pdupl_…`). */
export function holdUpload(content: Buffer): string {
  const id = `pdupl_${randomUUID().replace(/-/g, "")}`
  const timer = setTimeout(() => held.delete(id), UPLOAD_HOLD_MS)
  timer.unref()
  held.set(id, { content, timer })
  return id
}

/** The file held under `id`, or null when it is not (another process, released, or expired). */
export function heldUpload(id: string): Buffer | null {
  return held.get(id)?.content ?? null
}

/** Lets go of a held file once its import is over. */
export function releaseUpload(id: string): void {
  const entry = held.get(id)
  if (entry) {
    clearTimeout(entry.timer)
    held.delete(id)
  }
}
