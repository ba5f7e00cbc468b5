/**
 * Test and demo helper: writes a CAMT.053 bank statement (ISO 20022
 * BkToCstmrStmt) from a short list of lines, for the HTTP tests of the
 * statement import and the demo's statement generator. Not part of the plugin.
 */

/** One booked (or pending) transaction of a statement to write. */
export type BuildCamtLine = {
  /** Positive decimal with a dot, e.g. `"110.00"`. */
  amount: string
  direction: "credit" | "debit"
  /** `YYYY-MM-DD`; also the value date. */
  booking_date: string
  /** Structured creditor reference (`RmtInf/Strd/CdtrRefInf/Ref`), e.g. `RF401001`. */
  reference?: string
  /** Free text (`RmtInf/Ustrd`). */
  remittance?: string
  /** `Refs/EndToEndId`. */
  end_to_end_id?: string
  /** The other party's name: the payer of a credit, the payee of a debit. */
  name?: string
  /** The other party's IBAN. */
  iban?: string
  /** The bank's id of the transaction (`Refs/AcctSvcrRef`). */
  bank_id?: string
  /** Entry status; default `BOOK`. */
  status?: "BOOK" | "PDNG" | "INFO"
  /** Mark the entry as a reversal (`RvslInd`); `direction` stays the booking's own. */
  reversal?: boolean
}

/** The statements of the file and the account they are for. */
export type BuildCamtInput = {
  account_iban: string
  /** ISO 4217, any case. */
  currency: string
  statements: { id: string; lines: BuildCamtLine[] }[]
}

/** The camt.053 versions {@link buildCamt053} can write. */
export type BuildCamtVersion = "001.02" | "001.04" | "001.08"

function escape(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
}

function element(name: string, value: string | undefined, indent: string): string {
  return value === undefined ? "" : `${indent}<${name}>${escape(value)}</${name}>\n`
}

/**
 * A camt.053 XML document (default version 001.08) with one `Ntry` and one
 * `TxDtls` per line; each entry's `AcctSvcrRef` is `<statement id>-<n>`
 * unless the line gives `bank_id`.
 */
export function buildCamt053(input: BuildCamtInput, version: BuildCamtVersion = "001.08"): string {
  const currency = input.currency.toUpperCase()
  const v08 = version === "001.08"
  const party = (role: "Dbtr" | "Cdtr", name: string | undefined, indent: string): string =>
    name === undefined
      ? ""
      : v08
        ? `${indent}<${role}><Pty><Nm>${escape(name)}</Nm></Pty></${role}>\n`
        : `${indent}<${role}><Nm>${escape(name)}</Nm></${role}>\n`

  const statements = input.statements
    .map((statement) => {
      const entries = statement.lines
        .map((line, index) => {
          const status = line.status ?? "BOOK"
          const role = line.direction === "credit" ? "Dbtr" : "Cdtr"
          const amount = `<Amt Ccy="${currency}">${escape(line.amount)}</Amt>`
          const refs =
            line.bank_id !== undefined || line.end_to_end_id !== undefined
              ? `            <Refs>\n${element("AcctSvcrRef", line.bank_id, "              ")}${element(
                  "EndToEndId",
                  line.end_to_end_id,
                  "              "
                )}            </Refs>\n`
              : ""
          const parties =
            line.name !== undefined || line.iban !== undefined
              ? `            <RltdPties>\n${party(role, line.name, "              ")}${
                  line.iban === undefined
                    ? ""
                    : `              <${role}Acct><Id><IBAN>${escape(line.iban)}</IBAN></Id></${role}Acct>\n`
                }            </RltdPties>\n`
              : ""
          const remittance =
            line.remittance !== undefined || line.reference !== undefined
              ? `            <RmtInf>\n${element("Ustrd", line.remittance, "              ")}${
                  line.reference === undefined
                    ? ""
                    : `              <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${escape(
                        line.reference
                      )}</Ref></CdtrRefInf></Strd>\n`
                }            </RmtInf>\n`
              : ""
          const txAmount =
            version === "001.02"
              ? `            <AmtDtls><TxAmt>${amount}</TxAmt></AmtDtls>\n`
              : `            ${amount}\n`
          const booked = status === "BOOK"
          return (
            `      <Ntry>\n` +
            `        ${amount}\n` +
            `        <CdtDbtInd>${line.direction === "credit" ? "CRDT" : "DBIT"}</CdtDbtInd>\n` +
            (line.reversal ? `        <RvslInd>true</RvslInd>\n` : "") +
            (v08 ? `        <Sts><Cd>${status}</Cd></Sts>\n` : `        <Sts>${status}</Sts>\n`) +
            (booked ? `        <BookgDt><Dt>${escape(line.booking_date)}</Dt></BookgDt>\n` : "") +
            `        <ValDt><Dt>${escape(line.booking_date)}</Dt></ValDt>\n` +
            `        <AcctSvcrRef>${escape(line.bank_id ?? `${statement.id}-${index + 1}`)}</AcctSvcrRef>\n` +
            `        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${line.direction === "credit" ? "RCDT" : "ICDT"}</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n` +
            `        <NtryDtls>\n          <TxDtls>\n${refs}${txAmount}${parties}${remittance}          </TxDtls>\n        </NtryDtls>\n` +
            `      </Ntry>\n`
          )
        })
        .join("")
      return (
        `    <Stmt>\n` +
        `      <Id>${escape(statement.id)}</Id>\n` +
        `      <CreDtTm>${new Date().toISOString().slice(0, 19)}</CreDtTm>\n` +
        `      <Acct><Id><IBAN>${escape(input.account_iban.replace(/\s+/g, ""))}</IBAN></Id><Ccy>${currency}</Ccy></Acct>\n` +
        entries +
        `    </Stmt>\n`
      )
    })
    .join("")

  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.${version}">\n` +
    `  <BkToCstmrStmt>\n` +
    `    <GrpHdr><MsgId>${escape(input.statements.map((s) => s.id).join("+").slice(0, 35))}</MsgId><CreDtTm>${new Date()
      .toISOString()
      .slice(0, 19)}</CreDtTm></GrpHdr>\n` +
    statements +
    `  </BkToCstmrStmt>\n` +
    `</Document>\n`
  )
}
