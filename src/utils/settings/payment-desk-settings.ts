import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { methodFromProviderId, payByDate, ResolvedManualPaymentMethod } from "../../providers/manual-payment/options"
import { fillInstructions, formatAmount, formatPayBy, orderReference } from "../bank-transfer/payment-instructions"
import { PAYMENT_DESK_JOBS } from "../jobs/job-runs"

/** A manual method's bank account with its IBAN masked but for the last 4 characters. */
export type MaskedBankAccount = {
  currency: string
  account_holder: string
  iban_masked: string
  bic: string | null
  bank_name: string | null
}

/** One configured manual payment method. */
export type ManualMethodSettings = Omit<ResolvedManualPaymentMethod, "accounts"> & {
  provider_id: string
  is_enabled: boolean
  accounts: MaskedBankAccount[]
  /**
   * The instructions as the customer of an example order reads them
   * ({@link INSTRUCTIONS_EXAMPLE}: its placeholders filled in, the IBAN
   * masked as everywhere on this page); `instructions` is the template.
   */
  instructions_example: string
}

/** Whether a Stripe secret or restricted key is for test mode (true), live mode (false), or unknown (null). */
export function stripeKeyMode(key: string | null | undefined): boolean | null {
  if (!key) return null
  if (/^(sk|rk)_test_/.test(key)) return true
  if (/^(sk|rk)_live_/.test(key)) return false
  return null
}

/** The example order the Settings page fills a method's instructions for. */
export const INSTRUCTIONS_EXAMPLE = { display_id: 1042, amount: 110 } as const

/** What `GET /admin/payment-desk/settings` answers; secrets appear only as `*_set` flags. */
export type PaymentDeskSettings = {
  manual_methods: ManualMethodSettings[]
  stripe: {
    configured: boolean
    api_key_set: boolean
    /** Whether the key is a test-mode key (`sk_test_`/`rk_test_`), a live one, or neither is known (null). */
    test_mode: boolean | null
    /** Where the Stripe calls go when not to Stripe's own API (option `stripe.apiHost`: a proxy or a test double); null for Stripe's. */
    api_host: string | null
    webhook_secret_set: boolean
    last_webhook_received_at: Date | null
    refunds_pending_reconciliation: number
  }
  jobs: {
    name: string
    description: string
    schedule: string | { interval: number }
    enabled: boolean
    last_run: { started_at: Date; finished_at: Date; report: Record<string, unknown> | null } | null
  }[]
}

/** An IBAN with all but its last 4 characters replaced by `•`. */
export function maskIban(iban: string): string {
  return iban.length <= 4 ? iban : "•".repeat(iban.length - 4) + iban.slice(-4)
}

type ProviderRegistry = { paymentProviderService_?: { retrieveProvider(id: string): unknown } }
type ManualProvider = { getMethod?: () => ResolvedManualPaymentMethod }

/**
 * The resolved options of a manual provider, read from the instance the
 * payment module registered (the payment module offers no public way to read
 * provider options).
 */
export function manualMethodOf(container: MedusaContainer, providerId: string): ResolvedManualPaymentMethod | null {
  try {
    const registry = container.resolve(Modules.PAYMENT) as unknown as ProviderRegistry
    const provider = registry.paymentProviderService_?.retrieveProvider(providerId) as ManualProvider | undefined
    return provider?.getMethod?.() ?? null
  } catch {
    return null
  }
}

/** A method's instructions filled in for {@link INSTRUCTIONS_EXAMPLE}, placed now. */
function instructionsExample(method: ResolvedManualPaymentMethod): string {
  const account = method.accounts[0]
  const currency = account?.currency ?? method.currencies[0] ?? "eur"
  const { display_id, amount } = INSTRUCTIONS_EXAMPLE
  return fillInstructions(method.instructions, {
    reference: orderReference(display_id, method.reference_format) ?? String(display_id),
    amount: formatAmount(amount, currency),
    iban: account ? maskIban(account.iban) : "—",
    bic: account?.bic ?? "—",
    account_holder: account?.account_holder ?? "—",
    pay_by: formatPayBy(payByDate(new Date(), method.payment_window_hours)),
    order_number: String(display_id),
  })
}

/** The plugin's configuration as it runs: manual methods, Stripe (no secrets) and jobs with their last run. */
export async function readPaymentDeskSettings(container: MedusaContainer): Promise<PaymentDeskSettings> {
  const desk = container.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const options = desk.getOptions()
  const providers = await container.resolve(Modules.PAYMENT).listPaymentProviders({})
  const manualMethods: ManualMethodSettings[] = []
  for (const provider of providers) {
    if (!methodFromProviderId(provider.id)) continue
    const method = manualMethodOf(container, provider.id)
    if (!method) continue
    manualMethods.push({
      provider_id: provider.id,
      is_enabled: provider.is_enabled,
      method: method.method,
      display_name: method.display_name,
      instructions: method.instructions,
      instructions_example: instructionsExample(method),
      payment_window_hours: method.payment_window_hours,
      currencies: method.currencies,
      reference_format: method.reference_format,
      accounts: method.accounts.map((account) => ({
        currency: account.currency,
        account_holder: account.account_holder,
        iban_masked: maskIban(account.iban),
        bic: account.bic,
        bank_name: account.bank_name,
      })),
    })
  }

  const jobs = Object.values(PAYMENT_DESK_JOBS)
  const [lastWebhook, [, pendingStripeRefunds], lastRuns] = await Promise.all([
    desk.listWebhookEvents({ provider: "stripe" }, { select: ["created_at"], take: 1, order: { created_at: "DESC" } }),
    desk.listAndCountRefundRequests(
      { status: ["pending", "requires_action"], provider_id: { $like: "pp_stripe%" } },
      { select: ["id"], take: 1 }
    ),
    desk.lastJobRuns(jobs.map((job) => job.name)),
  ])

  return {
    manual_methods: manualMethods,
    stripe: {
      configured: !!options.stripe,
      api_key_set: !!options.stripe?.apiKey,
      test_mode: stripeKeyMode(options.stripe?.apiKey),
      api_host: options.stripe?.apiHost ?? null,
      webhook_secret_set: !!options.stripe?.webhookSecret,
      last_webhook_received_at: (lastWebhook[0]?.created_at as Date | undefined) ?? null,
      refunds_pending_reconciliation: pendingStripeRefunds,
    },
    jobs: jobs.map((job) => {
      const run = lastRuns[job.name]
      return {
        name: job.name,
        description: job.description,
        schedule: job.schedule,
        enabled: job.name === PAYMENT_DESK_JOBS.close_unpaid_orders.name ? options.auto_close.enabled : true,
        last_run: run
          ? {
              started_at: run.started_at as Date,
              finished_at: run.finished_at as Date,
              report: (run.report as Record<string, unknown> | null) ?? null,
            }
          : null,
      }
    }),
  }
}
