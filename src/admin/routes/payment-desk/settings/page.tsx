import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Container, Heading, StatusBadge, Table, Text } from "@medusajs/ui"
import { Crumb, ToastRoom } from "../../../components/desk-page"
import { useDeskTranslation } from "../../../hooks/use-desk-translation"
import { useDeskSettings } from "../../../hooks/use-settings"
import { formatDateTime, formatSchedule } from "../../../lib/format"
import { humanize, methodLabel } from "../../../lib/labels"

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId: string }) {
  return (
    <Container className="divide-y p-0" data-testid={testId}>
      <div className="px-6 py-4">
        <Heading level="h2">{title}</Heading>
      </div>
      {children}
    </Container>
  )
}

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="text-ui-fg-subtle grid grid-cols-2 items-center px-6 py-3">
      <Text size="small" weight="plus">
        {label}
      </Text>
      <div className="txt-compact-small text-right">{value}</div>
    </div>
  )
}

/** How the plugin is configured (read-only): manual methods and their accounts, Stripe, the jobs' last runs. */
const SettingsPage = () => {
  const { t, locale } = useDeskTranslation()
  const { data, isLoading, error } = useDeskSettings()
  const yesNo = (set: boolean) => (
    <StatusBadge color={set ? "green" : "red"}>{set ? t("settings.set") : t("settings.notSet")}</StatusBadge>
  )
  return (
    <div className="flex flex-col gap-y-3" data-testid="settings-page">
      <Container className="px-6 py-4">
        <Heading level="h1">{t("nav.settings")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("settings.description")}
        </Text>
      </Container>
      {isLoading && (
        <Text size="small" className="text-ui-fg-subtle px-6">
          {t("common.loading")}
        </Text>
      )}
      {error && (
        <Container className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            {error.message}
          </Text>
        </Container>
      )}
      {data?.methods.map((method) => (
        <Section key={method.id} title={methodLabel(t, method.id, method.display_name)} testId="settings-method">
          <Fact
            label={t("settings.paymentWindow")}
            value={
              method.payment_window_hours
                ? t("settings.hours", { count: method.payment_window_hours })
                : t("widget.noDeadline")
            }
          />
          <Fact
            label={t("settings.currencies")}
            value={method.currencies.length ? method.currencies.map((c) => c.toUpperCase()).join(", ") : t("settings.allCurrencies")}
          />
          {/* The reference is what a bank transfer quotes: a method without an account has none to show. */}
          {method.accounts.length > 0 && (
            <Fact label={t("settings.referenceFormat")} value={t(`settings.referenceFormats.${method.reference_format ?? "rf"}`)} />
          )}
          {method.instructions && (
            <div className="px-6 py-3">
              <Text size="small" weight="plus" className="text-ui-fg-subtle">
                {method.instructions_example ? t("settings.instructionsExample", { order: "#1042" }) : t("settings.instructions")}
              </Text>
              {/* What the customer reads, for an example order; the template with its placeholders on hover. */}
              <Text size="small" className="text-ui-fg-subtle whitespace-pre-line" title={method.instructions} data-testid="settings-instructions">
                {method.instructions_example ?? method.instructions}
              </Text>
            </div>
          )}
          {method.accounts.length > 0 && (
            <Table>
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>{t("settings.currency")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("bank.accountHolder")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("bank.iban")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("bank.bic")}</Table.HeaderCell>
                  <Table.HeaderCell>{t("bank.bank")}</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {method.accounts.map((account) => (
                  <Table.Row key={account.currency}>
                    <Table.Cell>{account.currency.toUpperCase()}</Table.Cell>
                    <Table.Cell>{account.account_holder}</Table.Cell>
                    <Table.Cell className="font-mono">{account.iban_masked}</Table.Cell>
                    <Table.Cell className="font-mono">{account.bic ?? ""}</Table.Cell>
                    <Table.Cell>{account.bank_name ?? ""}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
        </Section>
      ))}
      {data && (
        <Section title="Stripe" testId="settings-stripe">
          {data.stripe && data.stripe.configured !== false ? (
            <>
              <Fact label={t("settings.apiKey")} value={yesNo(data.stripe.api_key_set)} />
              {typeof data.stripe.test_mode === "boolean" && (
                <Fact label={t("settings.stripeMode")} value={t(data.stripe.test_mode ? "settings.stripeTestMode" : "settings.stripeLiveMode")} />
              )}
              <Fact
                label={t("settings.stripeApi")}
                value={data.stripe.api_host ? t("settings.stripeApiOther", { host: data.stripe.api_host }) : t("settings.stripeApiStripe")}
              />
              <Fact label={t("settings.webhookSecret")} value={yesNo(data.stripe.webhook_secret_set)} />
              <Fact
                label={t("settings.lastWebhook")}
                value={data.stripe.last_webhook_received_at ? formatDateTime(data.stripe.last_webhook_received_at, locale) : t("settings.never")}
              />
              <Fact label={t("settings.pendingReconciliation")} value={String(data.stripe.refunds_pending_reconciliation)} />
            </>
          ) : (
            <Text size="small" className="text-ui-fg-subtle px-6 py-4">
              {t("settings.stripeOff")}
            </Text>
          )}
        </Section>
      )}
      {data && (
        <Section title={t("settings.jobs")} testId="settings-jobs">
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>{t("settings.job")}</Table.HeaderCell>
                <Table.HeaderCell>{t("settings.schedule")}</Table.HeaderCell>
                <Table.HeaderCell>{t("settings.lastRun")}</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.jobs.map((job) => (
                <Table.Row key={job.name}>
                  <Table.Cell>{jobLabel(t, job.name, job.description)}</Table.Cell>
                  <Table.Cell title={typeof job.schedule === "string" ? job.schedule : undefined}>
                    {job.enabled === false
                      ? t("settings.disabled")
                      : typeof job.schedule === "string"
                        ? formatSchedule(job.schedule, locale)
                        : t("settings.every", { minutes: Math.round(job.schedule.interval / 60_000) })}
                  </Table.Cell>
                  <Table.Cell>
                    {job.last_run
                      ? job.last_run.finished_at
                        ? formatDateTime(job.last_run.finished_at, locale)
                        : t("settings.running", { since: formatDateTime(job.last_run.started_at, locale) })
                      : t("settings.never")}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </Section>
      )}
      <ToastRoom />
    </div>
  )
}

function jobLabel(t: (key: string) => string, name: string, description?: string): string {
  const key = `settings.jobNames.${name}`
  const text = t(key)
  return text === key || text === `paymentDesk.${key}` ? description || humanize(name.replace(/^payment-desk-/, "")) : text
}

export const config = defineRouteConfig({ label: "paymentDesk.nav.settings", translationNs: "translation", rank: 6 })

export const handle = {
  breadcrumb: () => <Crumb k="nav.settings" />,
}

export default SettingsPage
