// Builds a small store through Medusa's own workflows and module services: the
// demo seeds with it and the integration tests set up their store with it.
import {
  addShippingMethodToCartWorkflow,
  capturePaymentWorkflow,
  completeCartWorkflow,
  createApiKeysWorkflow,
  createCartWorkflow,
  createCustomersWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

export const DEMO_ADDRESS = {
  first_name: "Ada",
  last_name: "Lovelace",
  address_1: "Friedrichstraße 1",
  city: "Berlin",
  postal_code: "10117",
  country_code: "de",
}

export type SeededStore = {
  region_id: string
  sales_channel_id: string
  publishable_key: string
  shipping_option_id: string
  variant_ids: string[]
  /** An address in the region (the demo address, in the region's first country). */
  address: typeof DEMO_ADDRESS
}

/** Region (EUR unless told, both manual methods), sales channel, key, stock location, shipping, products. */
export async function seedStore(
  container: MedusaContainer,
  options: {
    name?: string
    countries?: string[]
    paymentProviders?: string[]
    products?: { title: string; price: number }[]
    currency_code?: string
  } = {}
): Promise<SeededStore> {
  const name = options.name ?? "Payment Desk Demo"
  const currency = options.currency_code ?? "eur"
  // Region and service zone names are unique: another currency's region is named after the store.
  const regionName = currency === "eur" ? "Europe" : name
  const countries = options.countries ?? ["de", "at", "nl"]
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name }] },
  })
  const salesChannel = channels[0]

  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: name, type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: keys[0].id, add: [salesChannel.id] },
  })

  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: regionName,
          currency_code: currency,
          countries,
          payment_providers: options.paymentProviders ?? [
            "pp_manual_bank-transfer",
            "pp_manual_cash-on-delivery",
          ],
        },
      ],
    },
  })
  const region = regions[0]

  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        { name: `${name} warehouse`, address: { address_1: "Lagerweg 1", city: "Berlin", country_code: "de" } },
      ],
    },
  })
  const location = locations[0]
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [salesChannel.id] },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: `${name} shipping`,
    type: "shipping",
    service_zones: [
      {
        name: regionName,
        geo_zones: countries.map((country_code) => ({ type: "country" as const, country_code })),
      },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })

  const [profile] = await fulfillment.listShippingProfiles({ type: "default" })
  const shippingProfile =
    profile ?? (await fulfillment.createShippingProfiles({ name: "Default", type: "default" }))

  const { result: shippingOptions } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard shipping",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: shippingProfile.id,
        type: { label: "Standard", description: "Delivered in 2-3 days", code: "standard" },
        prices: [
          { currency_code: currency, amount: 10 },
          { region_id: region.id, amount: 10 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  const products = options.products ?? [
    { title: "Desk lamp", price: 100 },
    { title: "Notebook", price: 12.5 },
    { title: "Fountain pen", price: 49.99 },
  ]
  const { result: created } = await createProductsWorkflow(container).run({
    input: {
      products: products.map((product, index) => ({
        title: product.title,
        status: "published" as const,
        shipping_profile_id: shippingProfile.id,
        sales_channels: [{ id: salesChannel.id }],
        options: [{ title: "Size", values: ["One size"] }],
        variants: [
          {
            title: "One size",
            sku: `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${index + 1}`,
            manage_inventory: false,
            options: { Size: "One size" },
            prices: [{ currency_code: currency, amount: product.price }],
          },
        ],
      })),
    },
  })

  return {
    region_id: region.id,
    sales_channel_id: salesChannel.id,
    publishable_key: keys[0].token,
    shipping_option_id: shippingOptions[0].id,
    variant_ids: created.map((product) => product.variants[0].id),
    address: { ...DEMO_ADDRESS, country_code: countries[0] },
  }
}

/** An admin user who can log in with email and password. */
export async function createAdminUser(
  container: MedusaContainer,
  { email, password }: { email: string; password: string }
): Promise<string> {
  const users = container.resolve(Modules.USER)
  const auth = container.resolve(Modules.AUTH)
  const user = await users.createUsers({ email, first_name: "Demo", last_name: "Admin" })
  const { authIdentity, error } = await auth.register("emailpass", {
    body: { email, password },
  } as Parameters<typeof auth.register>[1])
  if (error || !authIdentity) {
    throw new Error(`Could not register ${email}: ${error}`)
  }
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
  return user.id
}

/** A customer record (no login) to attach seeded orders to. */
export async function createCustomer(
  container: MedusaContainer,
  customer: { email: string; first_name: string; last_name: string }
): Promise<string> {
  const { result } = await createCustomersWorkflow(container).run({
    input: { customersData: [customer] },
  })
  return result[0].id
}

/** Places an order the way a storefront does: cart, shipping, payment session, completion. */
export async function placeOrder(
  container: MedusaContainer,
  store: SeededStore,
  input: {
    provider_id: string
    customer_id?: string
    email: string
    items: { variant_id: string; quantity: number }[]
  }
): Promise<{ order_id: string; payment_id: string }> {
  const { result: cart } = await createCartWorkflow(container).run({
    input: {
      region_id: store.region_id,
      sales_channel_id: store.sales_channel_id,
      customer_id: input.customer_id,
      email: input.email,
      currency_code: "eur",
      shipping_address: DEMO_ADDRESS,
      billing_address: DEMO_ADDRESS,
      items: input.items,
    },
  })
  await addShippingMethodToCartWorkflow(container).run({
    input: { cart_id: cart.id, options: [{ id: store.shipping_option_id }] },
  })
  const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({
    input: { cart_id: cart.id },
  })
  const collectionId =
    (collection as { id?: string } | undefined)?.id ??
    (await findCollectionId(container, cart.id))
  await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: collectionId, provider_id: input.provider_id },
  })
  const { result } = await completeCartWorkflow(container).run({ input: { id: cart.id } })

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.payments.id"],
    filters: { id: result.id },
  })
  const paymentId = data[0].payment_collections?.[0]?.payments?.[0]?.id
  if (!paymentId) {
    throw new Error(`Order ${result.id} has no payment`)
  }
  return { order_id: result.id, payment_id: paymentId }
}

async function findCollectionId(container: MedusaContainer, cartId: string): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["payment_collection.id"],
    filters: { id: cartId },
  })
  const id = data[0]?.payment_collection?.id
  if (!id) {
    throw new Error(`Cart ${cartId} has no payment collection`)
  }
  return id
}

/** Captures part or all of a payment, as Medusa's own capture route does. */
export async function capture(container: MedusaContainer, paymentId: string, amount?: number) {
  await capturePaymentWorkflow(container).run({ input: { payment_id: paymentId, amount } })
}
