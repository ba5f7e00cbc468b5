import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import ManualPaymentProviderService from "../service"

function provider(options: Record<string, unknown> = { method: "bank-transfer", currencies: ["eur"] }) {
  return new ManualPaymentProviderService({}, options as never)
}

describe("ManualPaymentProviderService", () => {
  it("is registered under the identifier manual and validates options at boot", () => {
    expect(ManualPaymentProviderService.identifier).toBe("manual")
    expect(() => ManualPaymentProviderService.validateOptions({ method: "bank-transfer", payment_window_hours: 0 })).toThrow(
      'Manual payment method "bank-transfer": payment_window_hours must be a positive number of hours or null'
    )
  })

  it("walks initiate → authorize → partial captures → refund → status from the stored data", async () => {
    const service = provider()
    const session = await service.initiatePayment({ amount: 110, currency_code: "EUR" })
    expect(session.status).toBe(PaymentSessionStatus.PENDING)
    expect(session.data).toMatchObject({
      method: "bank-transfer",
      display_name: "Bank transfer",
      payment_window_hours: 48,
      amount: "110",
      currency_code: "eur",
      state: "pending",
    })

    const authorized = await service.authorizePayment({ data: session.data })
    expect(authorized.status).toBe(PaymentSessionStatus.AUTHORIZED)
    expect(await service.getPaymentStatus({ data: authorized.data })).toMatchObject({
      status: PaymentSessionStatus.AUTHORIZED,
    })

    const first = await service.capturePayment({ data: authorized.data, context: { idempotency_key: "capt_1" } })
    const second = await service.capturePayment({ data: first.data, context: { idempotency_key: "capt_2" } })
    const replay = await service.capturePayment({ data: second.data, context: { idempotency_key: "capt_2" } })
    expect(replay.data?.capture_ids).toEqual(["capt_1", "capt_2"])
    expect((await service.getPaymentStatus({ data: replay.data })).status).toBe(PaymentSessionStatus.CAPTURED)

    const refunded = await service.refundPayment({ data: replay.data, amount: 40, context: { idempotency_key: "ref_1" } })
    const refundReplay = await service.refundPayment({ data: refunded.data, amount: 40, context: { idempotency_key: "ref_1" } })
    expect(refundReplay.data?.refunds).toEqual([{ id: "ref_1", amount: "40", recorded_at: expect.any(String) }])
    expect((await service.retrievePayment({ data: refundReplay.data })).data).toEqual(refundReplay.data)
  })

  it("stops boot on a bad IBAN or BIC, naming the method, the account and the field", () => {
    const accounts = [{ currency: "eur", account_holder: "Demo GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" }]
    expect(() => ManualPaymentProviderService.validateOptions({ method: "bank-transfer", accounts })).not.toThrow()
    expect(() =>
      ManualPaymentProviderService.validateOptions({ method: "bank-transfer", accounts: [{ ...accounts[0], iban: "DE00370400440532013000" }] })
    ).toThrow('Manual payment method "bank-transfer": accounts[0].iban "DE00370400440532013000" (the EUR account) is not a valid IBAN')
    expect(() =>
      ManualPaymentProviderService.validateOptions({ method: "bank-transfer", accounts: [{ ...accounts[0], bic: "COBA-DE" }] })
    ).toThrow('Manual payment method "bank-transfer": accounts[0].bic "COBA-DE" (the EUR account) is not a valid BIC')
  })

  it("stores the reference format and the account for the payment's currency on the session", async () => {
    const eur = { currency: "eur", account_holder: "Demo GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" }
    const gbp = { currency: "gbp", account_holder: "Demo Ltd", iban: "GB29NWBK60161331926819" }
    const service = provider({ method: "bank-transfer", reference_format: "display_id", accounts: [eur, gbp] })
    const session = await service.initiatePayment({ amount: 110, currency_code: "EUR" })
    expect(session.data).toMatchObject({
      reference_format: "display_id",
      account: { ...eur, bank_name: null },
    })
    const moved = await service.updatePayment({ data: session.data, amount: 95, currency_code: "gbp" })
    expect(moved.data?.account).toEqual({ ...gbp, bic: null, bank_name: null })
    const usd = await service.initiatePayment({ amount: 110, currency_code: "usd" })
    expect(usd.data?.account).toBeNull()
  })

  it("refuses a currency the method does not accept", async () => {
    await expect(provider().initiatePayment({ amount: 10, currency_code: "usd" })).rejects.toThrow(
      "Bank transfer does not accept USD; accepted: EUR"
    )
  })

  it("cancels, and refuses to capture a canceled payment", async () => {
    const service = provider({ method: "cash-on-delivery" })
    const session = await service.initiatePayment({ amount: 10, currency_code: "usd" })
    const canceled = await service.cancelPayment({ data: session.data })
    expect((await service.getPaymentStatus({ data: canceled.data })).status).toBe(PaymentSessionStatus.CANCELED)
    await expect(service.capturePayment({ data: canceled.data })).rejects.toThrow(
      "A canceled Cash on delivery payment cannot be captured"
    )
    expect((await service.authorizePayment({ data: canceled.data })).status).toBe(PaymentSessionStatus.CANCELED)
  })

  it("refuses to cancel a payment that holds a capture (an order edit would drop its money from the books)", async () => {
    const service = provider({ method: "bank-transfer" })
    const session = await service.initiatePayment({ amount: 110, currency_code: "eur" })
    const authorized = await service.authorizePayment({ data: session.data })
    const captured = await service.capturePayment({ data: authorized.data, context: { idempotency_key: "capt_1" } })
    await expect(service.cancelPayment({ data: captured.data })).rejects.toThrow(
      "This Bank transfer payment holds recorded receipts and cannot be canceled: refund them first, or close the order"
    )
    await expect(service.deletePayment({ data: captured.data })).rejects.toThrow("cannot be canceled")
    // Without a capture it still cancels.
    expect((await service.cancelPayment({ data: authorized.data })).data).toMatchObject({ state: "canceled" })
  })

  it("refuses data it did not write and reports no webhooks", async () => {
    await expect(provider().getPaymentStatus({ data: { foo: 1 } })).rejects.toThrow(
      "The payment data is not a Bank transfer payment"
    )
    expect(await provider().getWebhookActionAndData({ data: {}, rawData: "", headers: {} })).toEqual({
      action: PaymentActions.NOT_SUPPORTED,
    })
  })
})
