import { resolvePaymentDeskOptions } from "../options"

describe("emails option block", () => {
  it("defaults every template id to payment-desk-<name> and the reminder to 24 hours before the deadline", () => {
    expect(resolvePaymentDeskOptions({}).emails).toEqual({
      instructions_template: "payment-desk-payment-instructions",
      reminder_template: "payment-desk-payment-reminder",
      reminder_hours_before: 24,
      payment_received_template: "payment-desk-payment-received",
      fully_paid_template: "payment-desk-fully-paid",
      refund_requested_template: "payment-desk-refund-requested",
      refund_succeeded_template: "payment-desk-refund-succeeded",
      refund_failed_template: "payment-desk-refund-failed",
    })
  })

  it("takes each template id and the reminder hours on their own, keeping the other defaults", () => {
    const emails = resolvePaymentDeskOptions({
      emails: { reminder_template: "my-reminder", refund_failed_template: "oops", reminder_hours_before: 6.5 },
    }).emails
    expect(emails).toMatchObject({
      reminder_template: "my-reminder",
      refund_failed_template: "oops",
      reminder_hours_before: 6.5,
      instructions_template: "payment-desk-payment-instructions",
      fully_paid_template: "payment-desk-fully-paid",
    })
  })

  it.each([
    [{ emails: "yes" }, "medusa-payment-desk option emails must be an object such as { reminder_hours_before: 24 }"],
    [{ emails: [] }, "medusa-payment-desk option emails must be an object such as { reminder_hours_before: 24 }"],
    [{ emails: { reminder_hours_before: 0 } }, "medusa-payment-desk option emails.reminder_hours_before must be a positive number of hours"],
    [{ emails: { reminder_hours_before: -3 } }, "medusa-payment-desk option emails.reminder_hours_before must be a positive number of hours"],
    [{ emails: { reminder_hours_before: "24" } }, "medusa-payment-desk option emails.reminder_hours_before must be a positive number of hours"],
    [{ emails: { reminder_hours_before: Infinity } }, "medusa-payment-desk option emails.reminder_hours_before must be a positive number of hours"],
    [{ emails: { instructions_template: "" } }, "medusa-payment-desk option emails.instructions_template must be a non-empty template id string"],
    [{ emails: { fully_paid_template: 42 } }, "medusa-payment-desk option emails.fully_paid_template must be a non-empty template id string"],
    [{ emails: { refund_requested_template: "  " } }, "medusa-payment-desk option emails.refund_requested_template must be a non-empty template id string"],
    [{ emails: { reminderTemplate: "x" } }, "medusa-payment-desk option emails.reminderTemplate is not an email option"],
  ])("refuses %j naming the field", (raw, message) => {
    expect(() => resolvePaymentDeskOptions(raw as Record<string, unknown>)).toThrow(message)
  })
})
