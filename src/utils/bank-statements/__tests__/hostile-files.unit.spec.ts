import { XMLParser } from "fast-xml-parser"
import { monitorEventLoopDelay } from "node:perf_hooks"
import { buildCamt053 } from "../../../../scripts/lib/build-camt"
import { CAMT_ENTRIES_PER_SLICE, CAMT_SLICE_CHARS } from "../camt"
import { BankStatementError } from "../errors"
import { MT940_LINES_PER_SLICE } from "../mt940"
import { detectBankStatementFormat, FORMAT_HEAD_BYTES, parseBankStatement, readBankStatement } from "../parse-bank-statement"
import { parseCsvStatement, readCsvStatement } from "../csv"
import type { CsvProfile } from "../../../types/bank-statements"

jest.setTimeout(30_000)

const IBAN = "DE89370400440532013000"
const profile: CsvProfile = {
  delimiter: ";",
  decimal: ",",
  date_format: "DD.MM.YYYY",
  currency: "EUR",
  account_iban: IBAN,
  columns: { booking_date: "Datum", amount: "Betrag", remittance: "Text" },
}

/** 800 kB that start like XML and open a `Document` every few bytes, never closing one: what made the namespace scan quadratic. */
const pathologicalXml = () => Buffer.from("<" + "<Document xmlns:a='x' ".repeat(38_000))
/** About 10 MB of short CSV rows (660,000 of them). */
const shortRowsCsv = () => Buffer.from("Datum;Betrag;Text\n" + "01.11.2026;1,00;x\n".repeat(660_000))

/** Runs `work` while sampling the event loop; answers its outcome and the longest stall in ms. */
async function withLoopMonitor<T>(work: () => Promise<T>): Promise<{ outcome: T | unknown; stall_ms: number; wall_ms: number }> {
  const monitor = monitorEventLoopDelay({ resolution: 5 })
  monitor.enable()
  // The monitor's first tick only starts its clock: a block before it would go unseen.
  await new Promise((resolve) => setTimeout(resolve, 20))
  const started = performance.now()
  let outcome: T | unknown
  try {
    outcome = await work()
  } catch (error) {
    outcome = error
  }
  const wall_ms = performance.now() - started
  await new Promise((resolve) => setTimeout(resolve, 20))
  monitor.disable()
  return { outcome, stall_ms: monitor.max / 1e6, wall_ms }
}

describe("hostile uploads: format detection reads only the head", () => {
  it("answers an 800 kB non-XML file that opens Document everywhere in milliseconds, detected or named", () => {
    // How long this takes is measured by `npm run bench -- --only=hostile`
    // (pathological.xml), not here: a unit test's clock flakes on a loaded CI.
    const content = pathologicalXml()
    expect(content.length).toBeGreaterThan(800_000)
    expect(detectBankStatementFormat(content)).toBeNull()
    expect(() => parseBankStatement({ file_name: "x.xml", content })).toThrow("x.xml: is not a CAMT.053, CAMT.054 or MT940 statement")
    expect(() => parseBankStatement({ file_name: "x.xml", content, format: "camt.053" })).toThrow(
      "x.xml: is not a CAMT.053 or CAMT.054 file"
    )
  })

  it("finds MT940 fields only in the head: 800 kB of blank lines after :20: cost nothing to detect", () => {
    // The same fields within the head are an MT940 file; past the head they
    // are never looked at (a whole-file scan would find them and say "mt940").
    expect(detectBankStatementFormat(Buffer.from(":20:STMT\n:25:X\n:61:Y\n"))).toBe("mt940")
    const content = Buffer.from(":20:STMT\n" + "\n".repeat(800_000) + ":25:X\n:61:Y\n")
    expect(content.length).toBeGreaterThan(FORMAT_HEAD_BYTES * 10)
    expect(detectBankStatementFormat(content)).toBeNull()
  })
})

describe("hostile uploads: a CSV is read in slices under a line cap", () => {
  it("refuses 660,000 short rows at the row past the cap with a 400 naming the line, the loop never held for long", async () => {
    const content = shortRowsCsv()
    const { outcome, stall_ms, wall_ms } = await withLoopMonitor(() =>
      readBankStatement({ file_name: "big.csv", content, profile }, { max_lines: 100_000 })
    )
    expect(outcome).toBeInstanceOf(BankStatementError)
    expect((outcome as BankStatementError).message).toBe(
      "big.csv line 100002: holds more than 100,000 rows (bank_statements.max_lines); split the file by date"
    )
    expect((outcome as BankStatementError).line).toBe(100_002)
    // Read in one block, the stall would be the whole read (1.5 s or more); in slices it is one slice
    // (~20 ms on a quiet machine; the bound leaves room for a busy CI machine's scheduling and GC).
    expect(stall_ms).toBeLessThan(Math.max(150, wall_ms / 5))
  })

  it("reads the same rows as the all-at-once reader, yielding between slices", async () => {
    const content = Buffer.from("Datum;Betrag;Text\n" + "01.11.2026;1,00;x\n02.11.2026;-2,50;y\n".repeat(5_000))
    const streamed = await readCsvStatement("s.csv", content, profile, { max_lines: 10_000, slice_ms: 1 })
    expect(streamed).toEqual(parseCsvStatement("s.csv", content, profile))
    expect(streamed.lines).toHaveLength(10_000)
    expect(streamed.lines[9_999]).toMatchObject({ line: 10_001, direction: "debit", amount: "2.50", remittance: "y" })
  })

  it("caps CAMT and MT940 too, once read", async () => {
    const text = ":20:S1\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C261101EUR0,00\n" + ":61:2611011101C1,00NTRFNONREF\n:86:x\n".repeat(3) + ":62F:C261101EUR3,00\n"
    await expect(readBankStatement({ file_name: "s.sta", content: Buffer.from(text) }, { max_lines: 2 })).rejects.toThrow(
      "s.sta line 9: holds more than 2 lines (bank_statements.max_lines); split the file by date"
    )
  })
})

/** A camt.053 file with `count` booked credits, each with its payer, references and remittance (~900 bytes an entry: 10,000 are ~9 MB). */
const largeCamt = (count: number) =>
  buildCamt053({
    account_iban: IBAN,
    currency: "EUR",
    statements: [
      {
        id: "LARGE",
        lines: Array.from({ length: count }, (_, i) => ({
          amount: "12.34",
          direction: "credit" as const,
          booking_date: "2026-11-20",
          remittance: `Payment ${i}`,
          name: "Erika Mustermann",
          iban: "DE02120300000000202051",
          end_to_end_id: `E2E-${i}`,
          bank_id: `BANK-${i}`,
        })),
      },
    ],
  })

/** An MT940 file with `count` `:61:` lines, each with a German `:86:` (two lines of text per transaction). */
const largeMt940 = (count: number) =>
  ":20:LARGE\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C261101EUR0,00\n" +
  Array.from({ length: count }, (_, i) => `:61:2611011101C12,34NTRFNONREF//B${i}\n:86:166?00SEPA-GUTSCHRIFT?20EREF+E2E-${i}?21SVWZ+Payment ${i}?32Erika Mustermann\n`).join("") +
  ":62F:C261101EUR123400,00\n"

/**
 * Runs `work` while a setImmediate callback counts the event loop's turns
 * (one per turn: a callback queued from one runs on the next turn), and
 * answers its outcome and the turns that passed; `turn()` tells the turn
 * the caller is in.
 */
async function countingTurns<T>(work: (turn: () => number) => Promise<T>): Promise<{ outcome: T | unknown; turns: number }> {
  let turns = 0
  let counting = true
  const tick = () => {
    turns += 1
    if (counting) {
      setImmediate(tick)
    }
  }
  setImmediate(tick)
  let outcome: T | unknown
  try {
    outcome = await work(() => turns)
  } catch (error) {
    outcome = error
  }
  counting = false
  return { outcome, turns }
}

/** Runs `work` with every text fast-xml-parser is given shown to `seen` first. */
async function watchingParses<T>(seen: (xml: string) => void, work: () => Promise<T>): Promise<T> {
  const parse = XMLParser.prototype.parse
  const spy = jest.spyOn(XMLParser.prototype, "parse").mockImplementation(function (this: XMLParser, ...args: Parameters<XMLParser["parse"]>) {
    seen(String(args[0]))
    return parse.apply(this, args)
  })
  try {
    return await work()
  } finally {
    spy.mockRestore()
  }
}

/** Reads a statement file as the upload does, answering its outcome, the event-loop turns it took and how many `Ntry` elements were parsed in each turn. */
async function readInTurns(input: Parameters<typeof readBankStatement>[0], maxLines: number) {
  const entriesPerTurn = new Map<number, number>()
  const { outcome, turns } = await countingTurns((turn) =>
    watchingParses(
      (xml) => {
        if (xml.startsWith("<Ntry")) {
          entriesPerTurn.set(turn(), (entriesPerTurn.get(turn()) ?? 0) + 1)
        }
      },
      () => readBankStatement(input, { max_lines: maxLines })
    )
  )
  return { outcome, turns, entriesPerTurn }
}

describe("hostile uploads: a CAMT or MT940 file is read in slices", () => {
  it("reads a 10,000-entry CAMT.053 (9 MB) entry by entry, at most a slice of entries per event-loop turn, as the all-at-once reader does", async () => {
    const content = Buffer.from(largeCamt(10_000))
    expect(content.length).toBeGreaterThan(8_000_000)
    const { outcome, turns, entriesPerTurn } = await readInTurns({ file_name: "large.xml", content }, 100_000)
    // Parsed in one block, the whole read would be one turn; entry by entry, no turn parses more than one slice.
    expect([...entriesPerTurn.values()].reduce((sum, count) => sum + count, 0)).toBe(10_000)
    expect(Math.max(...entriesPerTurn.values())).toBeLessThanOrEqual(CAMT_ENTRIES_PER_SLICE)
    expect(entriesPerTurn.size).toBeGreaterThanOrEqual(10_000 / CAMT_ENTRIES_PER_SLICE)
    // The document itself is checked a slice at a time before the first entry is read.
    expect(Math.min(...entriesPerTurn.keys())).toBeGreaterThan(content.length / (128 * 1024))
    expect(turns).toBeGreaterThan(entriesPerTurn.size)
    const parsed = outcome as Awaited<ReturnType<typeof readBankStatement>>
    expect(parsed).toEqual(parseBankStatement({ file_name: "large.xml", content }))
    expect(parsed.lines).toHaveLength(10_000)
    expect(parsed.lines[9_999]).toMatchObject({ line: 10_000, amount: "12.34", remittance: "Payment 9999", end_to_end_id: "E2E-9999", bank_transaction_id: "BANK-9999" })
  })

  it("refuses a large CAMT file whose XML breaks near its end with a 400 naming the line, before reading any entry", async () => {
    const xml = largeCamt(2_000)
    const broken = Buffer.from(xml.replace(/<\/Stmt>/, "</Stmt></Ntry>"))
    const lineOfBreak = xml.slice(0, xml.indexOf("</Stmt>")).split("\n").length
    const { outcome, entriesPerTurn } = await readInTurns({ file_name: "broken.xml", content: broken }, 100_000)
    expect(outcome).toBeInstanceOf(BankStatementError)
    expect((outcome as BankStatementError).message).toMatch(/^broken\.xml line \d+: is not well-formed XML: /)
    expect((outcome as BankStatementError).line).toBe(lineOfBreak)
    expect(entriesPerTurn.size).toBe(0)
  })

  it("refuses a CAMT file at the entry past max_lines without reading the entries after it", async () => {
    const content = Buffer.from(largeCamt(2_000))
    const { outcome, entriesPerTurn } = await readInTurns({ file_name: "capped.xml", content }, 150)
    expect((outcome as BankStatementError).message).toBe(
      "capped.xml entry 151: holds more than 150 lines (bank_statements.max_lines); split the file by date"
    )
    expect([...entriesPerTurn.values()].reduce((sum, count) => sum + count, 0)).toBe(151)
  })

  it("reads an MT940 file of 10,000 :61: lines in slices of lines, as the all-at-once reader does", async () => {
    const content = Buffer.from(largeMt940(10_000))
    const { outcome, turns } = await countingTurns(() => readBankStatement({ file_name: "large.sta", content }, { max_lines: 100_000 }))
    // 20,005 lines of text, then as many fields: at least one turn per slice of each.
    expect(turns).toBeGreaterThanOrEqual((2 * 20_005) / MT940_LINES_PER_SLICE)
    const parsed = outcome as Awaited<ReturnType<typeof readBankStatement>>
    expect(parsed).toEqual(parseBankStatement({ file_name: "large.sta", content }))
    expect(parsed.lines).toHaveLength(10_000)
    expect(parsed.lines[9_999]).toMatchObject({ line: 20_003, amount: "12.34", remittance: "Payment 9999", end_to_end_id: "E2E-9999", bank_transaction_id: "B9999" })
  })

  it("reads a batched entry of 3,000 transactions (over 1 MB) a transaction at a time, one line each", async () => {
    const details = Array.from(
      { length: 3_000 },
      (_, i) =>
        `<TxDtls><Refs><EndToEndId>E2E-${i}</EndToEndId></Refs><Amt Ccy="EUR">1.00</Amt><RltdPties><Dbtr><Nm>Payer ${i}</Nm></Dbtr></RltdPties>` +
        `<RmtInf><Ustrd>Order ${i} ${"x".repeat(300)}</Ustrd></RmtInf></TxDtls>`
    ).join("\n")
    const xml = `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>S1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">3000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>BATCH</AcctSvcrRef>
<NtryDtls><Btch><NbOfTxs>3000</NbOfTxs></Btch>${details}</NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`
    expect(xml.length).toBeGreaterThan(1_000_000)
    const lengths: number[] = []
    const parsed = await watchingParses(
      (parsedXml) => lengths.push(parsedXml.length),
      () => readBankStatement({ file_name: "batch.xml", content: Buffer.from(xml) }, { max_lines: 100_000 })
    )
    // Parsed whole, the entry would be one 1 MB parse; no parse is longer than a slice.
    expect(Math.max(...lengths)).toBeLessThanOrEqual(CAMT_SLICE_CHARS)
    expect(parsed.lines).toHaveLength(3_000)
    expect(parsed.lines[2_999]).toMatchObject({
      line: 1,
      amount: "1.00",
      end_to_end_id: "E2E-2999",
      counterparty_name: "Payer 2999",
      bank_transaction_id: "BATCH#3000",
      remittance: `Order 2999 ${"x".repeat(300)}`,
    })
    expect(parsed).toEqual(parseBankStatement({ file_name: "batch.xml", content: Buffer.from(xml) }))
  })

  it("still reads a CAMT entry's text as before: an unknown entity kept as written, a control character refused naming the entry and field", async () => {
    const file = (text: string) =>
      Buffer.from(
        largeCamt(2)
          .replace("Payment 0", text)
      )
    const entity = await readBankStatement({ file_name: "e.xml", content: file("Caf&eacute; 12") }, { max_lines: 100 })
    expect(entity.lines[0].remittance).toBe("Caf&eacute; 12")
    await expect(readBankStatement({ file_name: "c.xml", content: file("Order\u0007 12") }, { max_lines: 100 })).rejects.toThrow(
      "c.xml entry 1: remittance holds a control character (U+0007), which a statement line cannot"
    )
  })
})

describe("CSV exports as banks write them", () => {
  const pendingProfile: CsvProfile = {
    ...profile,
    pending_values: ["Umsatz vorgemerkt", "pending"],
    columns: { ...profile.columns, status: "Status" },
  }

  it("skips rows the status column marks pending and counts them", async () => {
    const text = [
      "Datum;Betrag;Text;Status",
      "01.11.2026;10,00;booked;Umsatz gebucht",
      "02.11.2026;20,00;not yet;Umsatz vorgemerkt",
      "03.11.2026;30,00;later;PENDING",
      "04.11.2026;40,00;booked too;",
    ].join("\n")
    const parsed = await readCsvStatement("p.csv", Buffer.from(text), pendingProfile, { max_lines: 100 })
    expect(parsed.lines.map((line) => [line.line, line.amount])).toEqual([
      [2, "10.00"],
      [5, "40.00"],
    ])
    expect(parsed.csv_rows_skipped?.pending.map((row) => row.line)).toEqual([3, 4])
  })

  it("finds the header row under a preamble without skip_lines, drops a BOM and keeps stray quotes as text", async () => {
    const text =
      "\uFEFFKonto;DE89 3704 0044 0532 0130 00\nZeitraum;01.11.2026 - 30.11.2026\n\n" +
      'Datum;Betrag;Text\n01.11.2026;12,00;Firma "Muster" GmbH\n02.11.2026;3,00;5" Schrauben\n'
    const parsed = await readCsvStatement("pre.csv", Buffer.from(text), profile, { max_lines: 100 })
    expect(parsed.lines.map((line) => [line.line, line.amount, line.remittance])).toEqual([
      [5, "12.00", 'Firma "Muster" GmbH'],
      [6, "3.00", '5" Schrauben'],
    ])
  })

  it("reports the summary rows at the end of the file instead of refusing or dropping them", async () => {
    const text = "Datum;Betrag;Text\n01.11.2026;12,00;a\n02.11.2026;3,00;b\n;15,00;Summe\nKontostand;1.015,00;\n"
    const parsed = await readCsvStatement("sum.csv", Buffer.from(text), profile, { max_lines: 100 })
    expect(parsed.lines).toHaveLength(2)
    expect(parsed.csv_rows_skipped?.summary_rows).toEqual([
      { line: 4, text: ";15,00;Summe" },
      { line: 5, text: "Kontostand;1.015,00;" },
    ])
  })

  it("still refuses a row without a date between data rows, naming its line", async () => {
    const text = "Datum;Betrag;Text\n01.11.2026;12,00;a\nZwischensumme;12,00;\n02.11.2026;3,00;b\n"
    await expect(readCsvStatement("mid.csv", Buffer.from(text), profile, { max_lines: 100 })).rejects.toThrow(
      'mid.csv line 3: booking_date "Zwischensumme" is not a date (DD.MM.YYYY)'
    )
  })

  it("splits rows ended by a doubled CR (\\r\\r\\n, Rabobank) at their line, whole or streamed with a 16 kB slice ending inside a line end", async () => {
    const rows = Array.from({ length: 1000 }, (_, index) => `01.11.2026;${(index % 90) + 10},00;row ${String(index).padStart(4, "0")}`)
    // A preamble line one byte longer each time moves the slice boundary at 16,384 through a row: the three
    // lengths that end the first slice just before a line end, between its two CRs, and between CR and LF.
    const files = Array.from({ length: 27 }, (_, pad) => Buffer.from([`Export${"x".repeat(pad)}`, "Datum;Betrag;Text", ...rows].join("\r\r\n") + "\r\r\n"))
    const splitting = files.filter((content) => content[16_384] === 0x0d || content[16_383] === 0x0d)
    expect(splitting).toHaveLength(3)
    for (const content of splitting) {
      const whole = parseCsvStatement("crcrlf.csv", content, profile)
      const streamed = await readCsvStatement("crcrlf.csv", content, profile, { max_lines: 10_000 })
      expect(streamed).toEqual(whole)
      expect(whole.lines).toHaveLength(1000)
      expect(whole.lines[0]).toMatchObject({ line: 3, amount: "10.00", remittance: "row 0000" })
      expect(whole.lines.every((line, index) => line.line === index + 3 && line.remittance === `row ${String(index).padStart(4, "0")}`)).toBe(true)
    }
  })

  it("drops a quote that lost its pair at the start or end of an account, date or amount cell, and keeps quotes in texts", async () => {
    const quoted: CsvProfile = { ...profile, delimiter: ",", account_iban: undefined, columns: { ...profile.columns, account_iban: "Konto", counterparty_name: "Name" } }
    const text = [
      '"Konto","Datum","Betrag","Text","Name"',
      '"NL77RABO0311467415","14.03.2018","+50,00","a","Firma ""Muster"""',
      'NL77RABO0311467415","15.03.2018","3,00",5" Schrauben,Zoll 5"',
      'NL77RABO0311467415,16.03.2018","1,00","Rohr 2""",b',
    ].join("\n")
    const parsed = await readCsvStatement("quotes.csv", Buffer.from(text), quoted, { max_lines: 100 })
    expect(parsed.lines.map((line) => [line.line, line.account_iban, line.booking_date, line.amount, line.remittance, line.counterparty_name])).toEqual([
      [2, "NL77RABO0311467415", "2018-03-14", "50.00", "a", 'Firma "Muster"'],
      [3, "NL77RABO0311467415", "2018-03-15", "3.00", '5" Schrauben', 'Zoll 5"'],
      [4, "NL77RABO0311467415", "2018-03-16", "1.00", 'Rohr 2"', "b"],
    ])
  })

  it("names the header's missing column when no row of the preamble holds the profile's columns", async () => {
    await expect(readCsvStatement("h.csv", Buffer.from("Datum;Wert;Text\n01.11.2026;1,00;x\n"), profile, { max_lines: 100 })).rejects.toThrow(
      'h.csv line 1: column "Betrag" (amount) is not in the header row'
    )
  })
})

describe("control characters in a statement's text", () => {
  it("refuses a NUL in a CSV cell with a 400 naming the file, the line and the field", async () => {
    const text = "Datum;Betrag;Text\n01.11.2026;12,00;ok\n02.11.2026;3,00;bad\u0000text\n"
    await expect(readBankStatement({ file_name: "nul.csv", content: Buffer.from(text), profile }, { max_lines: 100 })).rejects.toMatchObject({
      message: "nul.csv line 3: remittance holds a control character (U+0000), which a statement line cannot",
      line: 3,
      field: "remittance",
    })
  })

  it("keeps line breaks in a remittance but refuses a control character in a name", async () => {
    const ok = '"Datum";"Betrag";"Text"\n01.11.2026;12,00;"two\nlines"\n'
    const parsed = await readBankStatement({ file_name: "ok.csv", content: Buffer.from(ok), profile }, { max_lines: 100 })
    expect(parsed.lines[0].remittance).toBe("two lines")
    const named: CsvProfile = { ...profile, columns: { ...profile.columns, counterparty_name: "Name" } }
    await expect(
      readBankStatement({ file_name: "n.csv", content: Buffer.from("Datum;Betrag;Text;Name\n01.11.2026;1,00;x;Eve\u001b[31m\n"), profile: named }, { max_lines: 100 })
    ).rejects.toThrow("n.csv line 2: counterparty_name holds a control character (U+001B)")
  })
})
