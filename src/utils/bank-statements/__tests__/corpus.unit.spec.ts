import { readFileSync } from "fs"
import { join } from "path"
import { composeIBAN } from "ibantools"
import { dedupeKeys, matchStoreAccount } from "../line-keys"
import { parseBankStatement } from "../parse-bank-statement"
import type { ParsedBankLine, ParsedBankStatementFile } from "../../../types/bank-statements"
import type { StoreBankAccount } from "../../bank-transfer/store-accounts"

/*
 * The corpus: real banks' statement files from open-source parsers' test
 * suites (integration-tests/fixtures/bank-corpus, SOURCES.md names each
 * file's project, path, commit and licence). For each file this asserts what
 * the source project's own tests assert (statements, entries, amounts,
 * currencies, dates, references), that every entry is a line or a skipped
 * entry with its reason, and that importing it again stores nothing twice.
 */

const CORPUS = join(__dirname, "..", "..", "..", "..", "integration-tests", "fixtures", "bank-corpus")

/** A store account holding the given BBAN in the given country (check digits computed by ibantools). */
function store(countryCode: string, bban: string): StoreBankAccount {
  const iban = composeIBAN({ countryCode, bban })
  if (!iban) {
    throw new Error(`no IBAN for ${countryCode} ${bban}`)
  }
  return { currency: "eur", account_holder: "Corpus", iban, bic: null, bank_name: null, method: "bank-transfer", method_name: "Bank transfer" }
}

type Expectation = {
  file: string
  bank: string
  format: ParsedBankStatementFile["format"]
  /** The account the store holds for the file's `:25:` / `Acct`. */
  account: StoreBankAccount
  statements: number
  /** Entries in the file: lines plus skipped ones. */
  entries: number
  lines: number
  skipped?: { line: number; reason: string }[]
  /** Lines of statements on another account than the store's (a file with several accounts). */
  other_account?: number[]
  /** Lines (by index) and what the source project's tests assert of them. */
  checks: [number, Partial<ParsedBankLine>][]
}

// The fourth statement of rabobank-mt940-1.txt is on another account (1526.89.184).
const OTHER_RABO = [34, 39]

const CORPUS_FILES: Expectation[] = [
  {
    file: "abnamro-mt940-1.txt", bank: "ABN AMRO", format: "mt940", account: store("NL", "ABNA0517852257"),
    statements: 2, entries: 10, lines: 10,
    checks: [[0, { direction: "debit", amount: "9.00", currency_code: "eur", booking_date: "2011-05-24", value_date: "2011-05-24" }]],
  },
  {
    file: "asn-mt940-1.txt", bank: "ASN Bank", format: "mt940", account: store("NL", "ASNB9999999999"),
    statements: 31, entries: 8, lines: 8,
    checks: [
      [0, { direction: "debit", amount: "65.00", currency_code: "eur", value_date: "2020-01-01" }],
      [1, { direction: "credit", amount: "1000.00" }],
    ],
  },
  {
    file: "citibank-mt940-1.txt", bank: "Citibank", format: "mt940", account: store("NL", "CITI0123456789"),
    statements: 1, entries: 5, lines: 3,
    skipped: [{ line: 13, reason: "zero_amount" }, { line: 15, reason: "zero_amount" }],
    checks: [[0, { direction: "debit", amount: "212.39", currency_code: "usd", booking_date: "2024-03-12", bank_transaction_id: null }]],
  },
  {
    file: "commerzbank-mt940-1.txt", bank: "Commerzbank", format: "mt940", account: store("DE", "250400660123456789"),
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "debit", currency_code: "eur" }]],
  },
  {
    file: "deutschebank-mt940-1.txt", bank: "Deutsche Bank", format: "mt940", account: store("DE", "200700000123456601"),
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "debit", amount: "12.35", currency_code: "eur", booking_date: "2020-06-08", value_date: "2020-06-08", bank_transaction_id: "2016021783252833" }]],
  },
  {
    file: "ing-mt940-1.txt", bank: "ING", format: "mt940", account: store("NL", "INGB0001234567"),
    statements: 1, entries: 7, lines: 7,
    checks: [
      [0, { direction: "debit", amount: "25.03", currency_code: "eur", booking_date: "2010-07-22" }],
      // jejik reads this :61: date as the booking date (2010-07-23), as this reader does.
      [6, { booking_date: "2010-07-23", direction: "credit", amount: "1.00" }],
    ],
  },
  {
    file: "knab-mt940-1.txt", bank: "Knab", format: "mt940", account: store("NL", "KNAB0123456789"),
    statements: 2, entries: 3, lines: 3,
    checks: [[1, { direction: "debit", amount: "7260.00", currency_code: "eur", booking_date: "2014-07-29", value_date: "2014-07-29" }]],
  },
  {
    file: "lbbw-mt940-1.txt", bank: "LBBW", format: "mt940", account: store("DE", "123456780001324357"),
    statements: 1, entries: 2, lines: 2,
    checks: [[0, { direction: "debit", amount: "0.01", currency_code: "eur", booking_date: "2021-02-08", value_date: "2021-02-08", bank_transaction_id: null }]],
  },
  {
    file: "mbank-mt940-1.sta", bank: "mBank", format: "mt940", account: { ...store("PL", "114010810000267002001002"), currency: "pln" },
    statements: 1, entries: 3, lines: 3,
    checks: [[0, { direction: "credit", amount: "0.01", currency_code: "pln", bank_transaction_id: "MB170119012058" }]],
  },
  {
    file: "olb-mt940-1.txt", bank: "Oldenburgische Landesbank", format: "mt940", account: store("DE", "280200501324354687"),
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "credit", amount: "104.50", currency_code: "eur", booking_date: "2018-07-16", value_date: "2018-07-16", bank_transaction_id: null }]],
  },
  {
    file: "postfinance-mt940-1.txt", bank: "PostFinance", format: "mt940", account: store("CH", "09000000123456789"),
    statements: 2, entries: 4, lines: 4,
    checks: [[0, { direction: "credit", amount: "79.70", currency_code: "chf", booking_date: "2013-12-09", value_date: "2013-12-09", bank_transaction_id: null }]],
  },
  {
    file: "rabobank-mt940-1.txt", bank: "Rabobank", format: "mt940", account: store("NL", "RABO0129199348"),
    statements: 4, entries: 5, lines: 5, other_account: OTHER_RABO,
    checks: [[1, { direction: "debit", amount: "44.95", currency_code: "eur", value_date: "2011-06-17", account_number: "1291.99.348EUR" }]],
  },
  {
    file: "rabobank-mt940-2.txt", bank: "Rabobank", format: "mt940", account: store("NL", "RABO0123456789"),
    statements: 2, entries: 4, lines: 4,
    checks: [[0, { direction: "debit", amount: "25.00", currency_code: "eur", value_date: "2013-01-01", counterparty_iban: null }]],
  },
  {
    file: "sns-mt940-1.txt", bank: "SNS Bank", format: "mt940", account: store("NL", "SNSB0123456789"),
    statements: 2, entries: 2, lines: 2,
    checks: [[0, { direction: "debit", amount: "20.00", currency_code: "eur", value_date: "2012-06-07", booking_date: "2012-06-08" }]],
  },
  {
    file: "sparkasse-mt940-1.txt", bank: "Sparkasse", format: "mt940", account: store("DE", "870520000123456789"),
    statements: 2, entries: 2, lines: 2,
    checks: [[1, { direction: "debit", amount: "20.00", currency_code: "eur", booking_date: "2019-02-19", value_date: "2019-02-19", bank_transaction_id: null }]],
  },
  {
    file: "triodos-mt940-1.txt", bank: "Triodos Bank", format: "mt940", account: store("NL", "TRIO0390123456"),
    statements: 1, entries: 2, lines: 2,
    checks: [[0, { direction: "debit", amount: "15.70", currency_code: "eur", value_date: "2011-01-01" }]],
  },
  {
    file: "volksbank-mt940-1.txt", bank: "Volksbanken Raiffeisenbanken", format: "mt940", account: store("DE", "666423990000093387"),
    statements: 8, entries: 12, lines: 12,
    checks: [[2, { direction: "credit", amount: "80.00", currency_code: "eur", value_date: "2020-02-21" }]],
  },
  {
    file: "genkgo-camt053-001.02-1.xml", bank: "Genkgo sample (VAYB)", format: "camt.053", account: store("NL", "VAYB8060476890"),
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "credit", amount: "8.85", currency_code: "eur", booking_date: "2014-12-31", value_date: "2015-01-02", structured_reference: "4654654654654654" }]],
  },
  {
    file: "genkgo-camt053-001.02-2.xml", bank: "Genkgo sample (VAYB)", format: "camt.053", account: store("NL", "VAYB8060476890"),
    statements: 2, entries: 2, lines: 2,
    checks: [
      [0, { direction: "credit", amount: "8.85", currency_code: "eur", booking_date: "2014-12-31" }],
      [1, { direction: "debit", amount: "7.00", currency_code: "eur", end_to_end_id: "000000002" }],
    ],
  },
  ...(["001.03", "001.04", "001.08"] as const).map((version): Expectation => ({
    file: `genkgo-camt053-${version}-1.xml`, bank: "Genkgo sample (VAYB)", format: "camt.053", account: store("NL", "VAYB8060476890"),
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "credit", amount: "8.85", currency_code: "eur", booking_date: "2014-12-31", value_date: "2015-01-02" }]],
  })),
  ...(["001.02", "001.04", "001.08"] as const).map((version): Expectation => ({
    file: `genkgo-camt054-${version}-1.xml`, bank: "Genkgo sample (Swiss account)", format: "camt.054", account: { ...store("CH", "01234000123456789"), currency: "sek" },
    statements: 1, entries: 1, lines: 1,
    checks: [[0, { direction: "debit", amount: "200000.00", currency_code: "sek", booking_date: "2007-10-18", account_iban: "CH2801234000123456789" }]],
  })),
]

type Held = { file: string; line: number }
type Report = { entries: number; stored: number; skipped: { line: number; reason: string; duplicate_of?: Held }[] }

/**
 * The import's line accounting, as the import does it: each line on a store
 * account is stored under its dedupe key unless that key is held already
 * (then it is a duplicate naming the holder); the parser's skipped entries and
 * lines on other accounts are listed with their reason.
 */
function importFile(held: Map<string, Held>, file: string, parsed: ParsedBankStatementFile, accounts: StoreBankAccount[]): Report {
  const onStore: (ParsedBankLine & { account: string })[] = []
  const skipped: Report["skipped"] = (parsed.skipped ?? []).map((entry) => ({ line: entry.line, reason: entry.reason }))
  for (const line of parsed.lines) {
    const match = matchStoreAccount(line, accounts)
    if (match.account) {
      onStore.push({ ...line, account: match.account.iban })
    } else {
      skipped.push({ line: line.line, reason: "other_account" })
    }
  }
  let stored = 0
  dedupeKeys(onStore).forEach((key, index) => {
    const line = onStore[index]
    const holder = held.get(`${line.account}\u001f${key}`)
    if (holder) {
      skipped.push({ line: line.line, reason: "duplicate", duplicate_of: holder })
    } else {
      held.set(`${line.account}\u001f${key}`, { file, line: line.line })
      stored += 1
    }
  })
  return { entries: parsed.lines.length + (parsed.skipped?.length ?? 0), stored, skipped }
}

describe("the corpus of real banks' files", () => {
  it("holds at least 25 files from at least 10 banks", () => {
    expect(CORPUS_FILES.length).toBeGreaterThanOrEqual(25)
    expect(new Set(CORPUS_FILES.map((entry) => entry.bank)).size).toBeGreaterThanOrEqual(10)
  })

  describe.each(CORPUS_FILES)("$file ($bank, $format)", (expected) => {
    const parsed = parseBankStatement({ file_name: expected.file, content: readFileSync(join(CORPUS, expected.file)) })

    it("reads what the source project's tests assert", () => {
      expect(parsed.format).toBe(expected.format)
      expect(parsed.statement_ids).toHaveLength(expected.statements)
      expect(parsed.lines).toHaveLength(expected.lines)
      expect((parsed.skipped ?? []).map((entry) => ({ line: entry.line, reason: entry.reason }))).toEqual(expected.skipped ?? [])
      for (const [index, fields] of expected.checks) {
        expect(parsed.lines[index]).toMatchObject(fields)
      }
    })

    it("accounts for every entry, and stores nothing twice on re-import", () => {
      const held = new Map<string, Held>()
      const first = importFile(held, expected.file, parsed, [expected.account])
      expect(first.entries).toBe(expected.entries)
      const other = expected.other_account ?? []
      expect(first.stored).toBe(expected.lines - other.length)
      expect(first.skipped.filter((entry) => entry.reason === "other_account").map((entry) => entry.line)).toEqual(other)
      expect(first.stored + first.skipped.length).toBe(first.entries)
      expect(first.skipped.filter((entry) => entry.reason === "duplicate")).toEqual([])

      const again = importFile(held, `${expected.file} (again)`, parsed, [expected.account])
      expect(again.stored).toBe(0)
      expect(again.stored + again.skipped.length).toBe(again.entries)
      const duplicates = again.skipped.filter((entry) => entry.reason === "duplicate")
      expect(duplicates).toHaveLength(expected.lines - other.length)
      expect(duplicates.every((entry) => entry.duplicate_of?.file === expected.file && entry.duplicate_of.line === entry.line)).toBe(true)
    })
  })

  it("refuses the CAMT.052 account report with a message that says what to upload", () => {
    expect(() =>
      parseBankStatement({ file_name: "genkgo-camt052-001.02-1.xml", content: readFileSync(join(CORPUS, "genkgo-camt052-001.02-1.xml")) })
    ).toThrow(/genkgo-camt052-001\.02-1\.xml: is a CAMT\.052 account report .*CAMT\.053/)
  })
})
