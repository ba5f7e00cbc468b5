/**
 * `medusa-payment-desk/storefront`: a typed client for the plugin's store
 * routes, for a storefront that talks to Medusa through `@medusajs/js-sdk`
 * (e.g. Medusa's Next.js starter). It imports nothing at run time, so it adds
 * only itself to a browser or server bundle:
 *
 * ```ts
 * import Medusa from "@medusajs/js-sdk"
 * import { paymentDesk } from "medusa-payment-desk/storefront"
 *
 * const sdk = new Medusa({ baseUrl, publishableKey })
 * const desk = paymentDesk(sdk)
 * const { payment_methods } = await desk.listPaymentMethods(regionId)
 * const payment = await desk.retrieveOrderPayment(orderId, { headers: authHeaders })
 * ```
 *
 * Every method takes the js-sdk's fetch options last (`headers` such as the
 * customer's `authorization`, and Next.js' `cache` / `next`), and throws the
 * js-sdk's `FetchError` (with `status` and the server's `message`) when the
 * store answers with an error.
 */
import type {
  StoreCloseOrderBody,
  StoreCloseOrderResponse,
  StoreOrderPayment,
  StorePaymentDeskMethodsResponse,
} from "./types"

export type * from "./types"

/** The js-sdk fetch options the client passes on (a subset of `@medusajs/js-sdk`'s `FetchArgs`). */
export type PaymentDeskFetchInit = {
  headers?: Record<string, string | null | { tags: string[] }>
  cache?: RequestCache
  next?: { tags?: string[]; revalidate?: number | false }
  signal?: AbortSignal
}

/** What the client needs of a `@medusajs/js-sdk` instance: its `client.fetch`. */
export type MedusaSdkLike = {
  client: {
    fetch<T>(
      input: string,
      init?: PaymentDeskFetchInit & { method?: string; query?: Record<string, any>; body?: Record<string, any> }
    ): Promise<T>
  }
}

/** The plugin's store routes, typed. */
export type PaymentDeskStoreClient = {
  /**
   * The plugin's manual methods a region offers, with the names and kinds a
   * checkout shows (`GET /store/payment-desk/payment-methods`).
   */
  listPaymentMethods(regionId: string, init?: PaymentDeskFetchInit): Promise<StorePaymentDeskMethodsResponse>
  /**
   * Where a manual order's payment stands and how to pay it
   * (`GET /store/payment-desk/orders/:id/instructions`); `null` when the
   * order is not paid with a manual method, does not exist, or is another
   * customer's. A customer's order needs that customer's `authorization`
   * header; a guest's order is readable by its id.
   */
  retrieveOrderPayment(orderId: string, init?: PaymentDeskFetchInit): Promise<StoreOrderPayment | null>
  /**
   * The logged-in customer closes their order, or asks the store to cancel a
   * paid one, as the store's `store_close` policy says
   * (`POST /store/payment-desk/orders/:id/close`). `idempotencyKey` makes a
   * retry answer as the first call did.
   */
  closeOrder(
    orderId: string,
    body?: StoreCloseOrderBody,
    init?: PaymentDeskFetchInit & { idempotencyKey?: string }
  ): Promise<StoreCloseOrderResponse>
}

const path = (orderId: string, rest: string) => `/store/payment-desk/orders/${encodeURIComponent(orderId)}/${rest}`

/** Wraps a js-sdk instance (`new Medusa({ ... })`) in the plugin's store client. */
export function paymentDesk(sdk: MedusaSdkLike): PaymentDeskStoreClient {
  return {
    listPaymentMethods: (regionId, init = {}) =>
      sdk.client.fetch<StorePaymentDeskMethodsResponse>("/store/payment-desk/payment-methods", {
        ...init,
        method: "GET",
        query: { region_id: regionId },
      }),
    retrieveOrderPayment: async (orderId, init = {}) => {
      try {
        return await sdk.client.fetch<StoreOrderPayment>(path(orderId, "instructions"), { ...init, method: "GET" })
      } catch (error) {
        if ((error as { status?: number })?.status === 404) {
          return null
        }
        throw error
      }
    },
    closeOrder: (orderId, body = {}, { idempotencyKey, headers, ...init } = {}) =>
      sdk.client.fetch<StoreCloseOrderResponse>(path(orderId, "close"), {
        ...init,
        method: "POST",
        headers: { ...headers, ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) },
        body,
      }),
  }
}
