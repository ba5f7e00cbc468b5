// HTTP helpers for the integration tests: logins and a storefront checkout.
import type { MedusaContainer } from "@medusajs/framework/types"
import { createAdminUser, DEMO_ADDRESS, SeededStore } from "../../scripts/seed/store"

/** The axios-like client `medusaIntegrationTestRunner` hands to a suite. */
export type Api = {
  get: (url: string, config?: object) => Promise<{ status: number; data: any }>
  post: (url: string, body?: unknown, config?: object) => Promise<{ status: number; data: any }>
  delete: (url: string, config?: object) => Promise<{ status: number; data: any }>
}

/** Creates an admin user and returns headers that carry its bearer token. */
export async function adminHeaders(
  container: MedusaContainer,
  api: Api,
  email = "admin@payment-desk.test"
): Promise<{ headers: Record<string, string> }> {
  const password = "supersecret"
  await createAdminUser(container, { email, password })
  const { data } = await api.post("/auth/user/emailpass", { email, password })
  return { headers: { authorization: `Bearer ${data.token}` } }
}

/** Registers a customer over the store API and returns headers of a logged-in session. */
export async function customerHeaders(
  api: Api,
  store: SeededStore,
  email: string
): Promise<{ headers: Record<string, string>; customer_id: string }> {
  const password = "secret-password"
  const pk = { "x-publishable-api-key": store.publishable_key }
  const { data: registered } = await api.post("/auth/customer/emailpass/register", { email, password })
  const { data: created } = await api.post(
    "/store/customers",
    { email, first_name: "Test", last_name: "Customer" },
    { headers: { ...pk, authorization: `Bearer ${registered.token}` } }
  )
  const { data: login } = await api.post("/auth/customer/emailpass", { email, password })
  return {
    headers: { ...pk, authorization: `Bearer ${login.token}` },
    customer_id: created.customer.id,
  }
}

/** A storefront checkout: cart, shipping method, payment collection and session, completion. */
export async function checkout(
  api: Api,
  store: SeededStore,
  customer: { headers: Record<string, string> },
  provider_id: string,
  items: { variant_id: string; quantity: number }[] = [{ variant_id: store.variant_ids[0], quantity: 1 }]
): Promise<any> {
  const config = { headers: customer.headers }
  const { data: cartData } = await api.post(
    "/store/carts",
    {
      region_id: store.region_id,
      sales_channel_id: store.sales_channel_id,
      shipping_address: store.address ?? DEMO_ADDRESS,
      billing_address: store.address ?? DEMO_ADDRESS,
      items,
    },
    config
  )
  const cartId = cartData.cart.id
  await api.post(`/store/carts/${cartId}/shipping-methods`, { option_id: store.shipping_option_id }, config)
  const { data: collection } = await api.post("/store/payment-collections", { cart_id: cartId }, config)
  await api.post(
    `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
    { provider_id },
    config
  )
  const { data: completed } = await api.post(`/store/carts/${cartId}/complete`, {}, config)
  if (completed.type !== "order") {
    throw new Error(`Cart ${cartId} did not complete: ${JSON.stringify(completed.error ?? completed)}`)
  }
  return completed.order
}

/** The status and body of a request that is expected to fail. */
export async function failure(request: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    const response = (await request) as { status?: number; data?: unknown }
    // Only status and body: an axios response refers to its request and back (circular).
    throw new Error(`Expected the request to fail, it answered ${response?.status} ${JSON.stringify(response?.data)}`)
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response
    if (!response) {
      throw error
    }
    return { status: response.status, data: response.data }
  }
}

/** A request's status and body. */
export type Answer = { status: number; data: any }

/** The status and body of a request, whether it succeeded or not (a network error still throws). */
export const answer = (request: Promise<{ status: number; data: any }>): Promise<Answer> =>
  request.then(
    (r) => ({ status: r.status, data: r.data }),
    (e) => {
      if (!e?.response) throw e
      return { status: e.response.status, data: e.response.data }
    }
  )

/** Polls until `check` returns a value that is not undefined, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
