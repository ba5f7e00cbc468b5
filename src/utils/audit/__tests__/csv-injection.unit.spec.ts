import { auditCsvRecord, AUDIT_CSV_COLUMNS, neutralizeCsvText } from "../audit-view"

describe("neutralizeCsvText: OWASP CSV injection", () => {
  it.each([
    ["=HYPERLINK(\"http://evil.example\",\"Click\")", "'=HYPERLINK(\"http://evil.example\",\"Click\")"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
  ])("puts an apostrophe before %j", (text, safe) => {
    expect(neutralizeCsvText(text)).toBe(safe)
  })

  it.each(["-12.50", "+3", "42", "Paid in full", "RF18539007547034", "a=b", " =1"])("leaves %j as it is", (text) => {
    expect(neutralizeCsvText(text)).toBe(text)
  })

  it("neutralises every text column of an audit record, and leaves numbers numbers", () => {
    const entry = {
      note: "=HYPERLINK(\"http://evil.example\")",
      user_agent: "=cmd|' /C calc'!A0",
      reference: "@ref",
      amount: -12.5,
      order_display_id: 7,
      metadata: { end_to_end_id: "=1+1" },
    }
    const record = Object.fromEntries(AUDIT_CSV_COLUMNS.map((column, i) => [column, auditCsvRecord(entry)[i]]))
    expect(record).toMatchObject({
      note: "'=HYPERLINK(\"http://evil.example\")",
      user_agent: "'=cmd|' /C calc'!A0",
      reference: "'@ref",
      amount: "-12.5",
      order_display_id: "7",
      // JSON starts with "{": no spreadsheet reads it as a formula.
      metadata: '{"end_to_end_id":"=1+1"}',
    })
  })
})
