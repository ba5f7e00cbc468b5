import {
  authenticate,
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import { AdminListAudit, AdminRecordPayment } from "./admin/payment-desk/validators"
import { idempotency } from "./utils/idempotency"
import { requirePermission } from "./utils/require-permission"

export default defineMiddlewares({
  routes: [
    {
      matcher: "/store/payment-desk/*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/payments",
      method: ["POST"],
      middlewares: [
        requirePermission("record_payment"),
        idempotency(),
        validateAndTransformBody(AdminRecordPayment),
      ],
    },
    {
      matcher: "/admin/payment-desk/audit",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListAudit, { isList: true })],
    },
  ],
})
