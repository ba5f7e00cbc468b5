import { codeText, moneyText, serverText, ServerLanguage } from "../i18n/server-text"

/**
 * Notes the plugin writes itself (not a person): stored as a code with
 * parameters in the row's `metadata.system_note`, so each reader sees them in
 * their own language (the admin renders `notes.<code>` from its catalogue);
 * the API also gives the English text. A person's note stays in `note`.
 */
export const SYSTEM_NOTE_CODES = [
  /** A refund made by closing the order: `reason` is the close reason's code. */
  "order_closed",
  /** Reconciliation found a refund at the provider the ledger did not make: `reference` is the provider's refund id. */
  "provider_refund_unknown",
  /** A partly paid order past its window: `paid`, `total` (amounts), `currency_code`, `pay_by` (ISO date). */
  "partly_paid_overdue",
  /** A credit the bank took back: `line` is the statement line. */
  "bank_reversal",
  /** A refund paid out, seen on a bank statement: `line`. */
  "bank_payout",
  /** A refund's payout the bank returned: `line`. */
  "bank_payout_returned",
  /** A closure made by Medusa's own "Cancel order" (said from the closure's `source`). */
  "core_cancel",
] as const
export type SystemNoteCode = (typeof SYSTEM_NOTE_CODES)[number]

/** A system note: its code and the facts it names. */
export type SystemNote = { code: SystemNoteCode; params: Record<string, string | number> }

/** A system note to store in a row's metadata (`{ system_note: … }`). */
export function systemNote(code: SystemNoteCode, params: Record<string, string | number> = {}): { system_note: SystemNote } {
  return { system_note: { code, params } }
}

/** The system note a row's metadata holds, else null. */
export function systemNoteOf(metadata: unknown): SystemNote | null {
  const note = (metadata as { system_note?: unknown } | null | undefined)?.system_note as SystemNote | undefined
  return note && typeof note.code === "string" && (SYSTEM_NOTE_CODES as readonly string[]).includes(note.code)
    ? { code: note.code, params: note.params ?? {} }
    : null
}


/**
 * A system note in words, in `language`: the catalogue's `notes.<code>`,
 * with reasons said in words and amounts and dates formatted for the
 * language (the admin does the same in the reader's language).
 */
export function systemNoteText(note: SystemNote, language: ServerLanguage = "en"): string {
  const params = { ...note.params }
  if (typeof params.reason === "string") {
    params.reason = codeText(language, "reasons", params.reason)
  }
  const currency = String(params.currency_code ?? "eur")
  if (params.paid !== undefined) params.paid = moneyText(language, params.paid, currency)
  if (params.total !== undefined) params.total = moneyText(language, params.total, currency)
  if (typeof params.pay_by === "string") {
    params.pay_by = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(params.pay_by))
  }
  return serverText(language, `notes.${note.code}`, params)
}

/** The system note of a closure: Medusa's own cancel says so; the plugin's closes carry none. */
export function closureSystemNote(closure: { source?: string | null }): (SystemNote & { text: string }) | null {
  if (closure.source !== "core_cancel") {
    return null
  }
  const note: SystemNote = { code: "core_cancel", params: {} }
  return { ...note, text: systemNoteText(note) }
}

/**
 * The note Medusa's own Refund row gets (Medusa shows it as written on the
 * order page): the person's note, else the plugin's own note in the
 * language the options name (`notifications.language`).
 */
export function medusaRefundNote(row: { note?: string | null; metadata?: unknown }, language: ServerLanguage): string | null {
  const note = systemNoteOf(row.metadata)
  return row.note ?? (note ? systemNoteText(note, language) : null)
}

/** The API's view of a row's notes: a person's `note` as written, and `system_note` with its English `text`. */
export function notesView(row: { note?: string | null; metadata?: unknown }): {
  note: string | null
  system_note: (SystemNote & { text: string }) | null
} {
  const note = systemNoteOf(row.metadata)
  return { note: row.note ?? null, system_note: note ? { ...note, text: systemNoteText(note) } : null }
}
