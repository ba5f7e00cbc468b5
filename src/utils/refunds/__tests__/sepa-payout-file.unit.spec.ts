import { XMLParser } from "fast-xml-parser"
import { buildSepaCreditTransfer, SepaCreditTransferInput, SepaPayoutError } from "../sepa-payout-file"

const input = (): SepaCreditTransferInput => ({
  message_id: "PD-PAYOUT-20261120-1",
  created_at: new Date(2026, 10, 20, 9, 30, 5),
  execution_date: "2026-11-23",
  debtor: { name: "Example Shop GmbH", iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX" },
  payments: [
    {
      end_to_end_id: "PD-REFUND-1001-1",
      amount: "0.1",
      currency_code: "eur",
      creditor_name: "Erika Mustermann",
      creditor_iban: "DE02120300000000202051",
      remittance: "Refund order 1001 & <gift>",
    },
    {
      end_to_end_id: "PD-REFUND-1002-1",
      amount: "1234567.20",
      currency_code: "EUR",
      creditor_name: "Jörg Groß",
      creditor_iban: "fr14 2004 1010 0505 0001 3m02 606",
      creditor_bic: "BNPAFRPPXXX",
      remittance: "Refund order 1002",
    },
    {
      end_to_end_id: "PD-REFUND-1003-1",
      amount: "0.20",
      currency_code: "EUR",
      creditor_name: "Anna Schmidt",
      creditor_iban: "DE12500105170648489890",
      remittance: "Refund order 1003",
    },
  ],
})

/** A `CdtTrfTxInf` as fast-xml-parser reads it. */
type Transfer = {
  PmtId: { EndToEndId: string }
  Amt: { InstdAmt: { "#text": string; "@_Ccy": string } }
  Cdtr: { Nm: string }
  CdtrAcct: { Id: { IBAN: string } }
  CdtrAgt?: { FinInstnId?: { BIC?: string } }
  RmtInf: { Ustrd: string }
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false })

function refusal(change: (value: SepaCreditTransferInput) => void): SepaPayoutError {
  const value = input()
  change(value)
  try {
    buildSepaCreditTransfer(value)
  } catch (error) {
    expect(error).toBeInstanceOf(SepaPayoutError)
    expect((error as SepaPayoutError).type).toBe("invalid_data")
    return error as SepaPayoutError
  }
  throw new Error("expected the payout file to be refused")
}

describe("buildSepaCreditTransfer", () => {
  const xml = buildSepaCreditTransfer(input())
  const tree = parser.parse(xml)

  it("writes a pain.001.001.03 document", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(tree.Document["@_xmlns"]).toBe("urn:iso:std:iso:20022:tech:xsd:pain.001.001.03")
  })

  it("writes the group header with the exact control sum", () => {
    expect(tree.Document.CstmrCdtTrfInitn.GrpHdr).toEqual({
      MsgId: "PD-PAYOUT-20261120-1",
      CreDtTm: "2026-11-20T09:30:05",
      NbOfTxs: "3",
      CtrlSum: "1234567.50",
      InitgPty: { Nm: "Example Shop GmbH" },
    })
  })

  it("writes one payment block from the merchant's account on the execution date", () => {
    const info = tree.Document.CstmrCdtTrfInitn.PmtInf
    expect(info).toMatchObject({
      PmtMtd: "TRF",
      NbOfTxs: "3",
      CtrlSum: "1234567.50",
      PmtTpInf: { SvcLvl: { Cd: "SEPA" } },
      ReqdExctnDt: "2026-11-23",
      Dbtr: { Nm: "Example Shop GmbH" },
      DbtrAcct: { Id: { IBAN: "DE89370400440532013000" } },
      DbtrAgt: { FinInstnId: { BIC: "COBADEFFXXX" } },
      ChrgBr: "SLEV",
    })
  })

  it("writes every transfer: end-to-end id, amount in EUR, payee, IBAN, BIC when given, remittance", () => {
    const transfers: Transfer[] = tree.Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf
    expect(transfers).toHaveLength(3)
    expect(
      transfers.map((transfer) => ({
        end_to_end_id: transfer.PmtId.EndToEndId,
        amount: transfer.Amt.InstdAmt["#text"],
        currency: transfer.Amt.InstdAmt["@_Ccy"],
        name: transfer.Cdtr.Nm,
        iban: transfer.CdtrAcct.Id.IBAN,
        bic: transfer.CdtrAgt?.FinInstnId?.BIC ?? null,
        remittance: transfer.RmtInf.Ustrd,
      }))
    ).toEqual([
      {
        end_to_end_id: "PD-REFUND-1001-1",
        amount: "0.10",
        currency: "EUR",
        name: "Erika Mustermann",
        iban: "DE02120300000000202051",
        bic: null,
        remittance: "Refund order 1001 & <gift>",
      },
      {
        end_to_end_id: "PD-REFUND-1002-1",
        amount: "1234567.20",
        currency: "EUR",
        name: "Jörg Groß",
        iban: "FR1420041010050500013M02606",
        bic: "BNPAFRPPXXX",
        remittance: "Refund order 1002",
      },
      {
        end_to_end_id: "PD-REFUND-1003-1",
        amount: "0.20",
        currency: "EUR",
        name: "Anna Schmidt",
        iban: "DE12500105170648489890",
        bic: null,
        remittance: "Refund order 1003",
      },
    ])
  })

  it("refuses a bad creditor IBAN, naming the payment and the field", () => {
    const error = refusal((value) => {
      value.payments[1].creditor_iban = "DE02120300000000202052"
    })
    expect(error.message).toBe(
      'SEPA payout payments[1] (end_to_end_id "PD-REFUND-1002-1") creditor_iban "DE02120300000000202052" is not a valid IBAN'
    )
    expect([error.payment_index, error.field]).toEqual([1, "creditor_iban"])
  })

  it("refuses a payment in another currency than EUR", () => {
    const error = refusal((value) => {
      value.payments[2].currency_code = "usd"
    })
    expect(error.message).toBe(
      'SEPA payout payments[2] (end_to_end_id "PD-REFUND-1003-1") currency_code is "usd": SEPA credit transfers are in EUR only'
    )
    expect([error.payment_index, error.field]).toEqual([2, "currency_code"])
  })

  it.each([
    ["12.345", "more decimals than cents"],
    ["0", "zero"],
    ["-5.00", "negative"],
    ["1e3", "not a plain decimal"],
  ])("refuses the amount %s (%s)", (amount) => {
    const error = refusal((value) => {
      value.payments[0].amount = amount
    })
    expect(error.field).toBe("amount")
    expect(error.message).toContain(`payments[0] (end_to_end_id "PD-REFUND-1001-1") amount "${amount}" must be a positive amount`)
  })

  it("refuses what the SEPA rules refuse, naming the payment", () => {
    expect(refusal((value) => (value.payments[0].remittance = "x".repeat(141))).message).toBe(
      'SEPA payout payments[0] (end_to_end_id "PD-REFUND-1001-1") remittance is 141 characters long, SEPA allows 140'
    )
    expect(refusal((value) => (value.payments[1].end_to_end_id = value.payments[0].end_to_end_id)).message).toBe(
      'SEPA payout payments[1] (end_to_end_id "PD-REFUND-1001-1") end_to_end_id is used by an earlier payment of the file'
    )
    expect(refusal((value) => (value.payments[0].end_to_end_id = "PD_REFUND")).field).toBe("end_to_end_id")
    expect(refusal((value) => (value.payments[0].creditor_name = " ")).field).toBe("creditor_name")
    const country = refusal((value) => (value.payments[1].creditor_bic = "COBADEFFXXX"))
    expect(country.message).toBe(
      'SEPA payout payments[1] (end_to_end_id "PD-REFUND-1002-1") is refused: country mismatch in BIC/IBAN'
    )
    expect(country.payment_index).toBe(1)
  })

  it("refuses a bad debtor IBAN, execution date or message id", () => {
    const debtor = refusal((value) => (value.debtor.iban = "DE00370400440532013000"))
    expect(debtor.message).toBe('SEPA payout file debtor.iban "DE00370400440532013000" is not a valid IBAN')
    expect([debtor.payment_index, debtor.field]).toEqual([null, "debtor.iban"])
    expect(refusal((value) => (value.execution_date = "2026-02-30")).message).toBe(
      'SEPA payout file execution_date "2026-02-30" is not a date (YYYY-MM-DD)'
    )
    expect(refusal((value) => (value.message_id = "x".repeat(36))).field).toBe("message_id")
    expect(refusal((value) => (value.payments = [])).field).toBe("payments")
  })
})
