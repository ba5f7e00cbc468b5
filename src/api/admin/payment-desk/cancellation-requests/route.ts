import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listCancellationRequests } from "../../../../utils/closures/cancellation-requests-view"
import type { AdminListCancellationRequestsType } from "../validators"

/** Customers' cancellation requests, oldest open first when filtered by `status=open`, else newest first. */
export async function GET(req: MedusaRequest<unknown, AdminListCancellationRequestsType>, res: MedusaResponse) {
  const filters = req.validatedQuery as AdminListCancellationRequestsType
  const { cancellation_requests, count } = await listCancellationRequests(req.scope, filters)
  res.json({ cancellation_requests, count, limit: filters.limit, offset: filters.offset })
}
