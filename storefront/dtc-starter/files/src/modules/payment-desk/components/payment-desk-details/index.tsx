import { isPaymentDesk } from "@lib/constants"
import { retrieveOrderPayment } from "@lib/data/payment-desk"
import { HttpTypes } from "@medusajs/types"
import Divider from "@modules/common/components/divider"
import { Heading } from "@modules/common/components/ui"
import OrderPayment from "@modules/payment-desk/components/order-payment"
import { paymentDeskStrings as t } from "@modules/payment-desk/strings"

/**
 * The order page's "Payment" section for an order placed with a
 * payment-desk method (nothing for other orders): read fresh from the
 * store on every visit, so a payment the merchant records shows at once.
 */
export default async function PaymentDeskDetails({ order }: { order: HttpTypes.StoreOrder }) {
  const providerId = order.payment_collections?.[0]?.payments?.[0]?.provider_id
  if (!isPaymentDesk(providerId)) {
    return null
  }
  const payment = await retrieveOrderPayment(order.id)
  if (!payment) {
    return null
  }
  return (
    <div>
      <Heading level="h2" className="flex flex-row text-3xl-regular my-6">
        {t.heading}
      </Heading>
      <OrderPayment payment={payment} />
      <Divider className="mt-8" />
    </div>
  )
}
