import type { CsvProfile } from "../../types/bank-statements"

/**
 * Two ready-made CSV profiles, for the demo, docs/bank-statements.md and as starting points
 * for a merchant's own `bank_statements.csv_profiles`:
 *
 * - `de_sparkasse`: a German savings-bank "CSV-CAMT" style export: `;`,
 *   Windows-1252, dates `DD.MM.YY`, decimal comma, one signed amount column
 *   (negative = debit), German header names.
 * - `uk_bank`: an English online-banking style export: `,`, UTF-8, dates
 *   `DD/MM/YYYY`, decimal dot, separate "Paid in" and "Paid out" columns;
 *   the account's currency and IBAN are not in the file, so the profile sets
 *   the currency (a euro account here, like the demo store).
 */
export const EXAMPLE_CSV_PROFILES: Record<"de_sparkasse" | "uk_bank", CsvProfile> = {
  de_sparkasse: {
    delimiter: ";",
    encoding: "windows-1252",
    decimal: ",",
    date_format: "DD.MM.YY",
    sign: "signed",
    columns: {
      account_iban: "Auftragskonto",
      booking_date: "Buchungstag",
      value_date: "Valutadatum",
      remittance: "Verwendungszweck",
      end_to_end_id: "Kundenreferenz (End-to-End)",
      counterparty_name: "Beguenstigter/Zahlungspflichtiger",
      counterparty_iban: "Kontonummer/IBAN",
      amount: "Betrag",
      currency: "Waehrung",
    },
  },
  uk_bank: {
    delimiter: ",",
    encoding: "utf-8",
    decimal: ".",
    date_format: "DD/MM/YYYY",
    sign: "split",
    currency: "EUR",
    columns: {
      booking_date: "Date",
      remittance: ["Description", "Reference"],
      counterparty_name: "Counterparty",
      credit: "Paid in",
      debit: "Paid out",
      transaction_id: "Transaction ID",
    },
  },
}
