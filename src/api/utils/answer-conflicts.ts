import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

type Handler<Req extends MedusaRequest> = (req: Req, res: MedusaResponse) => Promise<void>

/**
 * Answers a conflict (`MedusaError` CONFLICT: the order lock is busy, a race
 * was lost) with 409 and the plugin's own message, which names what the
 * request lost to. Medusa's error handler would answer every conflict with
 * one generic sentence; all other errors still go to it.
 */
export function answerConflicts<Req extends MedusaRequest>(handler: Handler<Req>): Handler<Req> {
  return async (req, res) => {
    try {
      await handler(req, res)
    } catch (error) {
      const e = error as { type?: string; message?: string }
      if (e?.type !== MedusaError.Types.CONFLICT) {
        throw error
      }
      res.status(409).json({ type: MedusaError.Types.CONFLICT, message: e.message })
    }
  }
}
