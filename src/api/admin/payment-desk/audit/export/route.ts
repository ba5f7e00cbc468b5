import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { stringify } from "csv-stringify"
import { once } from "events"
import { finished } from "stream/promises"
import { PAYMENT_DESK_MODULE } from "../../../../../modules/payment-desk"
import type PaymentDeskModuleService from "../../../../../modules/payment-desk/service"
import type { AuditCursor } from "../../../../../modules/payment-desk/service"
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRecord,
  auditReadableHeader,
  auditReadableRecord,
  createAuditDescriber,
  resolveAuditFilter,
} from "../../../../../utils/audit/audit-view"
import type { AdminExportAuditType } from "../../validators"

/** Entries read from the database per page of the export. */
export const AUDIT_EXPORT_PAGE_SIZE = 1000

/**
 * The audit trail as CSV (RFC 4180), newest first, with the list's filters:
 * `format=raw` a header row of field names and one row per entry as stored;
 * `format=readable` the same rows in words, in `language` (see
 * `auditReadableRecord`), with a byte order mark for spreadsheets. Streamed a page at a time
 * from the database, so memory stays flat whatever the size.
 */
export async function GET(req: MedusaRequest<unknown, AdminExportAuditType>, res: MedusaResponse) {
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const { format, language, ...filters } = req.validatedQuery as AdminExportAuditType
  const filter = await resolveAuditFilter(req.scope, filters)
  const readable = format === "readable"
  const date = new Date().toISOString().slice(0, 10)
  res.status(200)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="payment-desk-audit-${date}${readable ? "-readable" : ""}.csv"`)
  res.setHeader("Cache-Control", "no-store")
  // The headers go out at once: a narrow filter over a long trail may take a while to find its first row.
  res.flushHeaders()

  // RFC 4180: CRLF between records; a field with a line break (even a lone LF or CR) is quoted.
  const csv = stringify({
    header: true,
    columns: readable ? auditReadableHeader(language) : [...AUDIT_CSV_COLUMNS],
    record_delimiter: "windows",
    quoted_match: /[\r\n]/,
    // A spreadsheet opening a UTF-8 file without a byte order mark reads "Überweisung" as "Ãœberweisung".
    bom: readable,
  })
  csv.pipe(res)
  let aborted = false
  const closed = once(res, "close").then(
    () => {
      aborted = !res.writableFinished
    },
    () => {
      aborted = true
    }
  )
  const describe = createAuditDescriber(req.scope)
  try {
    let cursor: AuditCursor | null = null
    do {
      const page = await desk.listAuditEntriesAfter(filter, cursor, AUDIT_EXPORT_PAGE_SIZE)
      for (const entry of await describe(page.rows)) {
        if (!csv.write(readable ? auditReadableRecord(entry, language) : auditCsvRecord(entry))) {
          await Promise.race([once(csv, "drain"), closed])
        }
        if (aborted) break
      }
      cursor = page.next
    } while (cursor && !aborted)
  } catch (error) {
    // Headers are gone already: end the download visibly broken rather than silently short.
    req.scope
      .resolve(ContainerRegistrationKeys.LOGGER)
      .error(`The audit export failed after it started: ${(error as Error)?.message ?? String(error)}`)
    csv.destroy(error as Error)
    res.destroy(error as Error)
    return
  }
  csv.end()
  await finished(res).catch(() => undefined)
}
