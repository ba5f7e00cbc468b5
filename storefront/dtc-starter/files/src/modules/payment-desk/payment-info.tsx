import { Buildings, Cash, Receipt } from "@medusajs/icons"
import type { StorePaymentDeskMethod } from "medusa-payment-desk/storefront"
import React from "react"

type PaymentInfoMap = Record<string, { title: string; icon: React.JSX.Element }>

/** The icon of a payment-desk method: a bank for transfers, cash for cash on delivery, a receipt otherwise. */
export const paymentDeskIcon = (method: Pick<StorePaymentDeskMethod, "kind" | "method">) =>
  method.kind === "bank_transfer" ? <Buildings /> : method.method === "cash-on-delivery" ? <Cash /> : <Receipt />

/**
 * The starter's `paymentInfoMap` with the payment-desk methods a region
 * offers, titled with the names the merchant gave them.
 */
export function withPaymentDeskMethods(
  map: PaymentInfoMap,
  providers: { id: string; payment_desk?: StorePaymentDeskMethod }[] | null | undefined
): PaymentInfoMap {
  const merged = { ...map }
  for (const provider of providers ?? []) {
    if (provider.payment_desk) {
      merged[provider.id] = { title: provider.payment_desk.display_name, icon: paymentDeskIcon(provider.payment_desk) }
    }
  }
  return merged
}
