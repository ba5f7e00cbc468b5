// Bank statement files for the integration tests: a CAMT.053 of some lines, and its upload.
import { buildCamt053, BuildCamtLine } from "../../scripts/lib/build-camt"
import type { Api } from "./http"

let fileNumber = 0

/** A CAMT.053 file (one statement with a fresh id) of the lines on the store account `iban`. */
export function camtFile(iban: string, lines: BuildCamtLine[], version: "001.02" | "001.04" | "001.08" = "001.08"): string {
  fileNumber += 1
  return buildCamt053({ account_iban: iban, currency: "EUR", statements: [{ id: `STMT-${Date.now()}-${fileNumber}`, lines }] }, version)
}

/** Uploads a statement file as an admin (`POST /admin/payment-desk/bank-statements`, multipart). */
export function uploadStatement(
  http: Api,
  as: { headers: Record<string, string> },
  content: string | Buffer,
  fileName = "statement.xml",
  fields: Record<string, string> = {}
) {
  const form = new FormData()
  form.append("file", new Blob([content]), fileName)
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  return http.post("/admin/payment-desk/bank-statements", form, as)
}
