import { Copy, Heading, Text } from "@medusajs/ui"
import { useDeskTranslation } from "../hooks/use-desk-translation"
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

/**
 * What the customer quotes and where the money goes: reference, account and
 * the GiroCode, to read out on the phone. Only for a method paid into a bank
 * account (bank transfer): cash on delivery and the like have a reference
 * too, but nobody transfers it.
 */
export function BankTransferDetails({ summary }: { summary: OrderPaymentSummary }) {
  const { t } = useDeskTranslation()
  const { reference, account, qr_svg: qrSvg } = summary
  if (!account) {
    return null
  }
  return (
    <div className="py-2" data-testid="payment-desk-bank-transfer">
      <div className="px-6 pb-1 pt-2">
        <Heading level="h3">{t("bank.title")}</Heading>
      </div>
      {reference && (
        <DetailRow label={t("common.reference")} value={formatReference(reference)} copy={reference} testId="payment-desk-reference" />
      )}
      {account && (
        <>
          <DetailRow label={t("bank.accountHolder")} value={account.account_holder} testId="payment-desk-account-holder" />
          <DetailRow label={t("bank.iban")} value={formatInGroupsOfFour(account.iban)} copy={account.iban} testId="payment-desk-iban" />
          {account.bic && <DetailRow label={t("bank.bic")} value={account.bic} copy={account.bic} testId="payment-desk-bic" />}
          {account.bank_name && <DetailRow label={t("bank.bank")} value={account.bank_name} testId="payment-desk-bank-name" />}
        </>
      )}
      {qrSvg && (
        <div className="flex flex-col items-center gap-y-1 px-6 py-3">
          <img
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvg)}`}
            alt={t("bank.qrAlt", { reference: reference ?? "" })}
            width={160}
            height={160}
            data-testid="payment-desk-qr"
          />
          <Text size="xsmall" className="text-ui-fg-subtle">
            {t("bank.qrCaption")}
          </Text>
        </div>
      )}
    </div>
  )
}
