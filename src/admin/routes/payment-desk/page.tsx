import { defineRouteConfig } from "@medusajs/admin-sdk"
import { CreditCard } from "@medusajs/icons"
import { Container, Heading, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { Crumb, ToastRoom } from "../../components/desk-page"
import { useAwaitingPayment } from "../../hooks/use-awaiting-payment"
import { useBankTransactions } from "../../hooks/use-bank-statements"
import { useCancellationRequests } from "../../hooks/use-cancellation-requests"
import { useDeskTranslation } from "../../hooks/use-desk-translation"
import { useRefundList } from "../../hooks/use-refunds"

const OPEN_REFUNDS = ["pending", "failed", "requires_action", "awaiting_payout"]

function Tile({ to, title, figure, text, testId }: { to: string; title: string; figure?: number; text: string; testId: string }) {
  return (
    <Link to={to} className="block" data-testid={testId}>
      <Container className="hover:bg-ui-bg-base-hover flex h-full flex-col gap-y-2 px-6 py-4 transition-colors">
        <Text size="small" weight="plus" className="text-ui-fg-subtle">
          {title}
        </Text>
        {figure !== undefined && <Heading level="h2">{figure}</Heading>}
        <Text size="small" className="text-ui-fg-subtle">
          {text}
        </Text>
      </Container>
    </Link>
  )
}

/** The Payment desk: what needs doing today, and the way to each list. */
const PaymentDeskPage = () => {
  const { t } = useDeskTranslation()
  const awaiting = useAwaitingPayment({ limit: 1, offset: 0 })
  const overdue = useAwaitingPayment({ overdue: true, limit: 1, offset: 0 })
  const refunds = useRefundList({ status: OPEN_REFUNDS, limit: 1, offset: 0 })
  const requests = useCancellationRequests()
  const review = useBankTransactions({ status: "review", limit: 1, offset: 0 })
  return (
    <div className="flex flex-col gap-y-3">
      <Container className="px-6 py-4">
        <Heading level="h1">{t("nav.desk")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("overview.description")}
        </Text>
      </Container>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
        <Tile to="/payment-desk/awaiting-payment" title={t("nav.awaiting")} figure={awaiting.data?.count} text={t("overview.awaiting")} testId="desk-tile-awaiting" />
        <Tile to="/payment-desk/awaiting-payment" title={t("overview.overdueTitle")} figure={overdue.data?.count} text={t("overview.overdue")} testId="desk-tile-overdue" />
        <Tile to="/payment-desk/bank-statements" title={t("nav.bankStatements")} figure={review.data?.count} text={t("overview.bankStatements")} testId="desk-tile-bank-statements" />
        <Tile to="/payment-desk/refunds" title={t("nav.refunds")} figure={refunds.data?.count} text={t("overview.refunds")} testId="desk-tile-refunds" />
        <Tile
          to="/payment-desk/cancellation-requests"
          title={t("nav.requests")}
          figure={requests.data?.available ? requests.data.requests.length : undefined}
          text={t("overview.requests")}
          testId="desk-tile-requests"
        />
        <Tile to="/payment-desk/closed-orders" title={t("nav.closed")} text={t("overview.closed")} testId="desk-tile-closed" />
        <Tile to="/payment-desk/audit" title={t("nav.audit")} text={t("overview.audit")} testId="desk-tile-audit" />
        <Tile to="/payment-desk/settings" title={t("nav.settings")} text={t("overview.settings")} testId="desk-tile-settings" />
      </div>
      <ToastRoom />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "paymentDesk.nav.desk",
  translationNs: "translation",
  icon: CreditCard,
})

export const handle = {
  breadcrumb: () => <Crumb k="nav.desk" />,
}

export default PaymentDeskPage
