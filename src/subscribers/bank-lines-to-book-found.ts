import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { BankLinesToBookFoundEventData, PaymentDeskEvents } from "../events"
import { bookBankLineBatch } from "../workflows/bank-statements/book-bank-lines-on-workers"

/** A worker's share of a large statement import: books a batch of its matched lines, each under its order's lock. */
export default async function bankLinesToBookFoundHandler({ event, container }: SubscriberArgs<BankLinesToBookFoundEventData>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const report = await bookBankLineBatch(container, event.data)
  logger.info(
    `Bank statement lines (a batch of ${report.given}): ${report.recorded} recorded, ${report.failed} sent to review, ${report.given - report.booked} booked already`
  )
}

export const config: SubscriberConfig = { event: PaymentDeskEvents.BANK_LINES_TO_BOOK_FOUND }
