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
  AdminExportAudit,
  AdminGetSettings,
  AdminListRefunds,
  AdminRecordPayment,
  AdminRecordRefundPayout,
  AdminRetryRefund,
} from "./admin/payment-desk/validators"
import { idempotency } from "./utils/idempotency"
import {
  resolveCloseReplay,
  resolveReceiptReplay,
  resolveRefundActionReplay,
  resolveRefundReplay,
} from "./utils/idempotent-replays"
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
        idempotency({ resolve: resolveReceiptReplay }),
        validateAndTransformBody(AdminRecordPayment),
      ],
    },
    {
      matcher: "/store/payment-desk/orders/:id/close",
      method: ["POST"],
      middlewares: [idempotency({ resolve: resolveCloseReplay("store") }), validateAndTransformBody(StoreCloseOrder)],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/close",
      method: ["POST"],
      middlewares: [
        requirePermission("close_order"),
        idempotency({ resolve: resolveCloseReplay("admin") }),
        validateAndTransformBody(AdminCloseOrder),
      ],
    },
    {
      matcher: "/admin/payment-desk/counters",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListCounters, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/refunds",
      method: ["POST"],
      middlewares: [requirePermission("refund"), idempotency({ resolve: resolveRefundReplay }), validateAndTransformBody(AdminIssueRefund)],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/retry",
      method: ["POST"],
      middlewares: [
        requirePermission("refund"),
        idempotency({ resolve: resolveRefundActionReplay("refund_retried") }),
        validateAndTransformBody(AdminRetryRefund),
      ],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/payout",
      method: ["POST"],
      middlewares: [
        requirePermission("refund"),
        idempotency({ resolve: resolveRefundActionReplay("refund_payout_recorded") }),
        validateAndTransformBody(AdminRecordRefundPayout),
      ],
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
    {
      matcher: "/admin/payment-desk/audit/export",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminExportAudit, {})],
    },
    {
      matcher: "/admin/payment-desk/settings",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminGetSettings, {})],
    },
  ],
})
