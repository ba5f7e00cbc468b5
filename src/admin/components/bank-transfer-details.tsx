import { Copy, Heading, Text } from "@medusajs/ui"
import { formatInGroupsOfFour, formatReference } from "../lib/format"
import type { OrderPaymentSummary } from "../lib/types"

function DetailRow({ label, value, copy, testId }: { label: string; value: string; copy?: string; testId: string }) {
  return (
    <div className="text-ui-fg-subtle flex items-center justify-between gap-x-4 px-6 py-2">
      <Text size="small" leading="compact" weight="plus">
        {label}
      </Text>
      {/* One line each: an IBAN broken over two lines is easy to misread aloud. */}
      <div className="flex items-center justify-end gap-x-1">
        <Text size="small" leading="compact" className="whitespace-nowrap text-right font-mono" data-testid={testId}>
          {value}
        </Text>
        {copy && <Copy content={copy} />}
      </div>
    </div>
  )
}

/** What the customer quotes and where the money goes: reference, account and the GiroCode, to read out on the phone. */
export function BankTransferDetails({ summary }: { summary: OrderPaymentSummary }) {
  const { reference, account, qr_svg: qrSvg } = summary
  if (!reference && !account) {
    return null
  }
  return (
    <div className="py-2" data-testid="payment-desk-bank-transfer">
      <div className="px-6 pb-1 pt-2">
        <Heading level="h3">Bank transfer</Heading>
      </div>
      {reference && (
        <DetailRow label="Reference" value={formatReference(reference)} copy={reference} testId="payment-desk-reference" />
      )}
      {account && (
        <>
          <DetailRow label="Account holder" value={account.account_holder} testId="payment-desk-account-holder" />
          <DetailRow label="IBAN" value={formatInGroupsOfFour(account.iban)} copy={account.iban} testId="payment-desk-iban" />
          {account.bic && <DetailRow label="BIC" value={account.bic} copy={account.bic} testId="payment-desk-bic" />}
          {account.bank_name && <DetailRow label="Bank" value={account.bank_name} testId="payment-desk-bank-name" />}
        </>
      )}
      {qrSvg && (
        <div className="flex flex-col items-center gap-y-1 px-6 py-3">
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
            alt={`GiroCode: pay the amount due with reference ${reference ?? ""}`}
            width={160}
            height={160}
            data-testid="payment-desk-qr"
          />
          <Text size="xsmall" className="text-ui-fg-subtle">
            GiroCode (EPC QR): scan with a banking app to pay the amount due
          </Text>
        </div>
      )}
    </div>
  )
}
