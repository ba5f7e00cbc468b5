import {
  authenticate,
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import {
  AdminCloseOrder,
  AdminIssueRefund,
  AdminListCounters,
  StoreCloseOrder,
  AdminListAudit,
  AdminListRefunds,
  AdminRecordPayment,
  AdminRecordRefundPayout,
  AdminRetryRefund,
} from "./admin/payment-desk/validators"
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
      matcher: "/store/payment-desk/orders/:id/close",
      method: ["POST"],
      middlewares: [idempotency(), validateAndTransformBody(StoreCloseOrder)],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/close",
      method: ["POST"],
      middlewares: [requirePermission("close_order"), idempotency(), validateAndTransformBody(AdminCloseOrder)],
    },
    {
      matcher: "/admin/payment-desk/counters",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListCounters, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/refunds",
      method: ["POST"],
      middlewares: [requirePermission("refund"), idempotency(), validateAndTransformBody(AdminIssueRefund)],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/retry",
      method: ["POST"],
      middlewares: [requirePermission("refund"), idempotency(), validateAndTransformBody(AdminRetryRefund)],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/payout",
      method: ["POST"],
      middlewares: [requirePermission("refund"), idempotency(), validateAndTransformBody(AdminRecordRefundPayout)],
    },
    {
      matcher: "/admin/payment-desk/refunds",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListRefunds, { isList: true })],
    },
    {
      matcher: "/hooks/payment-desk/stripe",
      method: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/admin/payment-desk/audit",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListAudit, { isList: true })],
    },
  ],
})
