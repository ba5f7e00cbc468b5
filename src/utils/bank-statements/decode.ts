/** The text of an uploaded file: UTF-8 (a BOM is dropped) unless it is not valid UTF-8, then Windows-1252. */
export function decodeStatementText(content: Buffer): string {
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content)
  } catch {
    text = new TextDecoder("windows-1252").decode(content)
  }
  return text.replace(/^\uFEFF/, "")
}
