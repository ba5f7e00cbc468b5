import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listClosures } from "../../../../utils/closures/list-closures"
import { keysetQuery, type AdminListClosuresType } from "../validators"

/**
 * Closed orders, newest first, with who closed them, why and what was
 * refunded. Pages by `offset`, or (sorted by close time) by keyset:
 * `after`/`before` one of the answer's `cursors`, or `page=last`.
 */
export async function GET(req: MedusaRequest<unknown, AdminListClosuresType>, res: MedusaResponse) {
  const query = req.validatedQuery as AdminListClosuresType
  const { closures, count, count_estimated, cursors } = await listClosures(req.scope, keysetQuery(query))
  // The next page is `after=cursors.last`, the one before it `before=cursors.first`.
  res.json({ closures, count, count_estimated, limit: query.limit, offset: query.offset, cursors })
}
