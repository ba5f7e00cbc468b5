import {
  authenticate,
  defineMiddlewares,
  validateAndTransformBody,
  validateAndTransformQuery,
} from "@medusajs/framework/http"
import type { MiddlewareRoute } from "@medusajs/framework/http"
import {
  AdminCloseOrder,
  AdminIssueRefund,
  AdminListCounters,
  StoreCloseOrder,
  StoreListPaymentMethods,
  AdminListAudit,
  AdminExportAudit,
  AdminGetSettings,
  AdminListRefunds,
  AdminRecordPayment,
  AdminRecordRefundPayout,
  AdminRetryRefund,
  AdminSetRefundPayoutAccount,
  AdminListAwaitingPayment,
  AdminListClosures,
  AdminListCancellationRequests,
  AdminApproveCancellationRequest,
  AdminDeclineCancellationRequest,
} from "./admin/payment-desk/validators"
import {
  AdminBookBankReversal,
  AdminConfirmBankTransaction,
  AdminExportSepaPayouts,
  AdminListPayoutExports,
  AdminPostSepaPayouts,
  AdminIgnoreBankTransaction,
  AdminImportBankStatement,
  AdminListBankStatements,
  AdminListBankTransactions,
} from "./admin/payment-desk/bank-statements/validators"
import { idempotency } from "./utils/idempotency"
import { statementUpload } from "./utils/statement-upload"
import {
  resolveCancellationAnswerReplay,
  resolveCloseReplay,
  resolveReceiptReplay,
  resolveRefundActionReplay,
  resolveRefundReplay,
} from "./utils/idempotent-replays"
import { moneyPolicies, requirePermission } from "./utils/require-permission"
import { guardPermissionEmails } from "./utils/guard-permission-emails"
import { CORE_MONEY_ROUTES } from "./utils/core-money-routes"
import { serializeCoreMoneyRoute } from "./utils/serialize-core-route"

export default defineMiddlewares({
  // Typed as Medusa's `MiddlewareRoute`, whose `policies` (Medusa RBAC, checked by the router when the
  // `rbac` feature flag is on) `defineMiddlewares`' parameter type leaves out although it keeps them.
  routes: [
    // An invite cannot make an account under an email the permissions option names.
    { matcher: "/admin/invites", method: ["POST"], middlewares: [guardPermissionEmails] },
    { matcher: "/admin/invites/accept", method: ["POST"], middlewares: [guardPermissionEmails] },
    // Medusa's own money routes run under the plugin's order lock, like the plugin's money actions.
    ...CORE_MONEY_ROUTES.map((route) => ({
      matcher: route.matcher,
      method: [route.method],
      middlewares: [serializeCoreMoneyRoute(route)],
    })),
    // What the checkout and a guest's confirmation page read needs no login (as Medusa's own
    // `GET /store/orders/:id`); the route limits a customer's order to that customer.
    {
      matcher: "/store/payment-desk/payment-methods",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(StoreListPaymentMethods, {})],
    },
    {
      matcher: "/store/payment-desk/orders/:id/instructions",
      method: ["GET"],
      middlewares: [authenticate("customer", ["session", "bearer"], { allowUnauthenticated: true })],
    },
    {
      matcher: "/store/payment-desk/orders/:id/close",
      method: ["POST"],
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
    {
      matcher: "/admin/payment-desk/orders/:id/payments",
      method: ["POST"],
      policies: moneyPolicies("record_payment"),
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
      policies: moneyPolicies("close_order"),
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
      policies: moneyPolicies("refund"),
      middlewares: [requirePermission("refund"), idempotency({ resolve: resolveRefundReplay }), validateAndTransformBody(AdminIssueRefund)],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/retry",
      method: ["POST"],
      policies: moneyPolicies("refund"),
      middlewares: [
        requirePermission("refund"),
        idempotency({ resolve: resolveRefundActionReplay("refund_retried") }),
        validateAndTransformBody(AdminRetryRefund),
      ],
    },
    {
      matcher: "/admin/payment-desk/refunds/:id/payout",
      method: ["POST"],
      policies: moneyPolicies("refund"),
      middlewares: [
        requirePermission("refund"),
        idempotency({ resolve: resolveRefundActionReplay("refund_payout_recorded") }),
        validateAndTransformBody(AdminRecordRefundPayout),
      ],
    },
    {
      // A guarded update of the payee (no money moves): a repeat sets the same account again.
      matcher: "/admin/payment-desk/refunds/:id/payout-account",
      method: ["POST"],
      policies: moneyPolicies("refund"),
      middlewares: [requirePermission("refund"), validateAndTransformBody(AdminSetRefundPayoutAccount)],
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
      matcher: "/admin/payment-desk/bank-statements",
      method: ["POST"],
      // multipart/form-data: Medusa's JSON body parser stays out of the way, multer reads the file.
      bodyParser: false,
      policies: moneyPolicies("record_payment"),
      middlewares: [requirePermission("record_payment"), statementUpload(), validateAndTransformBody(AdminImportBankStatement)],
    },
    {
      matcher: "/admin/payment-desk/bank-statements",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListBankStatements, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/bank-transactions",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListBankTransactions, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/bank-transactions/:id/confirm",
      method: ["POST"],
      policies: moneyPolicies("record_payment"),
      middlewares: [requirePermission("record_payment"), validateAndTransformBody(AdminConfirmBankTransaction)],
    },
    {
      // Booking a reversed credit refunds the order's receipt: the refund permission (checked in the workflow, as a payout's).
      matcher: "/admin/payment-desk/bank-transactions/:id/book-reversal",
      method: ["POST"],
      policies: moneyPolicies("record_payment"),
      middlewares: [requirePermission("record_payment"), validateAndTransformBody(AdminBookBankReversal)],
    },
    {
      matcher: "/admin/payment-desk/bank-transactions/:id/ignore",
      method: ["POST"],
      policies: moneyPolicies("record_payment"),
      middlewares: [requirePermission("record_payment"), validateAndTransformBody(AdminIgnoreBankTransaction)],
    },
    {
      matcher: "/admin/payment-desk/payouts/sepa",
      method: ["GET"],
      policies: moneyPolicies("refund"),
      middlewares: [requirePermission("refund"), validateAndTransformQuery(AdminExportSepaPayouts, {})],
    },
    {
      // Like GET: marks what it exports; a second export leaves those refunds out, a re-export names the export.
      matcher: "/admin/payment-desk/payouts/sepa",
      method: ["POST"],
      policies: moneyPolicies("refund"),
      middlewares: [requirePermission("refund"), validateAndTransformBody(AdminPostSepaPayouts)],
    },
    {
      matcher: "/admin/payment-desk/payouts/sepa/exports",
      method: ["GET"],
      policies: moneyPolicies("refund"),
      middlewares: [requirePermission("refund"), validateAndTransformQuery(AdminListPayoutExports, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/awaiting-payment",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListAwaitingPayment, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/closures",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListClosures, { isList: true })],
    },
    {
      matcher: "/admin/payment-desk/cancellation-requests",
      method: ["GET"],
      middlewares: [validateAndTransformQuery(AdminListCancellationRequests, { isList: true })],
    },
    {
      // Approving closes the order and refunds what was paid: the close permission, and the refund one when money was paid.
      matcher: "/admin/payment-desk/cancellation-requests/:id/approve",
      method: ["POST"],
      policies: moneyPolicies("close_order"),
      middlewares: [
      requirePermission("close_order"),
      idempotency({ resolve: resolveCancellationAnswerReplay("approved") }),
      validateAndTransformBody(AdminApproveCancellationRequest),
    ],
    },
    {
      matcher: "/admin/payment-desk/cancellation-requests/:id/decline",
      method: ["POST"],
      policies: moneyPolicies("close_order"),
      middlewares: [
      requirePermission("close_order"),
      idempotency({ resolve: resolveCancellationAnswerReplay("declined") }),
      validateAndTransformBody(AdminDeclineCancellationRequest),
    ],
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
  ] as MiddlewareRoute[],
})
