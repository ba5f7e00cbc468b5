import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listClosures } from "../../../../utils/closures/list-closures"
import type { AdminListClosuresType } from "../validators"

/** Closed orders, newest first, with who closed them, why and what was refunded. */
export async function GET(req: MedusaRequest<unknown, AdminListClosuresType>, res: MedusaResponse) {
  const filters = req.validatedQuery as AdminListClosuresType
  const { closures, count, count_estimated } = await listClosures(req.scope, filters)
  res.json({ closures, count, count_estimated, limit: filters.limit, offset: filters.offset })
}
