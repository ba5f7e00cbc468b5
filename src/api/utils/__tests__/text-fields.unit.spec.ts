import { AdminImportBankStatement, AdminIgnoreBankTransaction, AdminConfirmBankTransaction } from "../../admin/payment-desk/bank-statements/validators"
import { AdminCloseOrder, AdminIssueRefund, AdminRecordPayment, AdminRecordRefundPayout, AdminSetRefundPayoutAccount } from "../../admin/payment-desk/validators"
import { controlCharacterIn } from "../text-fields"

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => issue.message)

describe("text fields refuse NUL and control characters, naming the field", () => {
  it.each([
    ["note of a payment", AdminRecordPayment, { amount: 1, method: "bank-transfer", note: "a\u0000b" }, "note: must not hold control characters (U+0000 at position 2)"],
    ["reference of a payment", AdminRecordPayment, { amount: 1, method: "bank-transfer", reference: "R\nF" }, "reference: must not hold control characters (U+000A at position 2)"],
    ["method of a payment", AdminRecordPayment, { amount: 1, method: "bank\u0007" }, "method: must not hold control characters (U+0007 at position 5)"],
    ["refund note", AdminIssueRefund, { amount: 1, note: "\u001b[2J" }, "note: must not hold control characters (U+001B at position 1)"],
    ["refund payment id", AdminIssueRefund, { amount: 1, payment_id: "pay_\u0000" }, "payment_id: must not hold control characters (U+0000 at position 5)"],
    ["payout reference", AdminRecordRefundPayout, { reference: "x\u0000" }, "reference: must not hold control characters (U+0000 at position 2)"],
    ["close note", AdminCloseOrder, { reason: "customer_request", note: "\u0000" }, "note: must not hold control characters (U+0000 at position 1)"],
    ["ignore note", AdminIgnoreBankTransaction, { note: "dup\u0000" }, "note: must not hold control characters (U+0000 at position 4)"],
    ["confirm order id", AdminConfirmBankTransaction, { order_id: "order_\u0000" }, "order_id: must not hold control characters (U+0000 at position 7)"],
    ["payout account name", AdminSetRefundPayoutAccount, { name: "Eve\u0000", iban: "NL91ABNA0417164300" }, "name: must not hold control characters (U+0000 at position 4)"],
  ])("%s", (_label, schema, body, message) => {
    expect(messages((schema as typeof AdminRecordPayment).safeParse(body))).toContain(message)
  })

  it("keeps line breaks and tabs in notes, and accepts umlauts in a payee's name", () => {
    expect(AdminCloseOrder.safeParse({ reason: "customer_request", note: "line one\n\tline two" }).success).toBe(true)
    expect(AdminSetRefundPayoutAccount.parse({ name: "Jürgen  Groß", iban: "NL91 ABNA 0417 1643 00" }).name).toBe("Jürgen Groß")
    expect(messages(AdminSetRefundPayoutAccount.safeParse({ name: "🙂", iban: "NL91ABNA0417164300" }))[0]).toMatch(/^name: needs letters or digits/)
  })

  it("refuses profile names that are an object's machinery, naming the field", () => {
    for (const profile of ["__proto__", "constructor\u0000", "../x"]) {
      expect(messages(AdminImportBankStatement.safeParse({ profile })).join()).toMatch(/^profile: /)
    }
    expect(AdminImportBankStatement.safeParse({ profile: "de_sparkasse" }).success).toBe(true)
  })

  it("says where the control character is", () => {
    expect(controlCharacterIn("ok")).toBeNull()
    expect(controlCharacterIn("a\tb")).toBe("U+0009 at position 2")
    expect(controlCharacterIn("a\tb", true)).toBeNull()
    expect(controlCharacterIn("a\u0085b", true)).toBe("U+0085 at position 2")
  })
})
