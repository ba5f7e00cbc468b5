"use server"

import { sdk } from "@lib/config"
import { paymentDesk, StoreCloseOrderBody, StoreOrderPayment, StorePaymentDeskMethod } from "medusa-payment-desk/storefront"
import { revalidateTag } from "next/cache"
import { getAuthHeaders, getCacheOptions, getCacheTag } from "./cookies"

const desk = paymentDesk(sdk)

/**
 * The region's payment providers with the payment-desk methods' names and
 * kinds added (`payment_desk`). When the plugin's route cannot be read the
 * providers come back as they were: the checkout still works, the methods
 * are then titled by their ids.
 */
export const addPaymentDeskMethods = async <P extends { id: string }>(
  providers: P[],
  regionId: string
): Promise<(P & { payment_desk?: StorePaymentDeskMethod })[]> => {
  const methods = await desk
    .listPaymentMethods(regionId, { next: await getCacheOptions("payment_providers"), cache: "force-cache" })
    .then(({ payment_methods }) => payment_methods)
    .catch(() => [])
  return providers.map((provider) => {
    const method = methods.find((entry) => entry.provider_id === provider.id)
    return method ? { ...provider, payment_desk: method } : provider
  })
}

/** Where the order's payment stands, fresh on every request; null for an order not paid with a payment-desk method. */
export const retrieveOrderPayment = async (orderId: string): Promise<StoreOrderPayment | null> =>
  desk.retrieveOrderPayment(orderId, { headers: await getAuthHeaders(), cache: "no-store" })

/**
 * The logged-in customer cancels the order, or asks the store to (as the
 * store's policy allows). Answers with the outcome, or the store's message
 * when it refused: a thrown error's message would not reach the browser in
 * production.
 */
export const closePaymentDeskOrder = async (
  orderId: string,
  body: StoreCloseOrderBody,
  idempotencyKey: string
): Promise<{ outcome: "closed" | "requested" } | { error: string }> => {
  try {
    const result = await desk.closeOrder(orderId, body, { headers: await getAuthHeaders(), idempotencyKey })
    const ordersTag = await getCacheTag("orders")
    if (ordersTag) {
      revalidateTag(ordersTag)
    }
    return { outcome: result.outcome }
  } catch (error) {
    return { error: error instanceof Error && error.message ? error.message : "The store could not be reached." }
  }
}
