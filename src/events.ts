/** Event names this plugin emits, for `subscriber` configs and `emitEventStep`. */
export const PaymentDeskEvents = {
  PAYMENT_RECORDED: "payment_desk.payment_recorded",
} as const

/** Payload of `payment_desk.payment_recorded`. */
export type PaymentRecordedEventData = {
  order_id: string
  payment_id: string
  audit_entry_id: string
  amount: number
  currency_code: string
  method: string
  reference: string | null
  actor_id: string | null
}
