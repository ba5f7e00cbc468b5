import { SaxesParser } from "saxes"
import { BankStatementError } from "./errors"
import type { Sliced } from "./slices"

/**
 * An element of the file's text: `text.slice(start, end)` is the element,
 * tags included, and `text.slice(start, open_end)` its start tag. An element
 * longer than {@link LARGE_ELEMENT_CHARS} that holds elements also lists
 * them (`children`), so that it can be read a child at a time.
 */
export type ElementSpan = { name: string; start: number; open_end: number; end: number; children: ElementSpan[] | null }

/** One statement (`Stmt`) or notification (`Ntfctn`) of a CAMT file, as spans of the text. */
export type StatementOutline = {
  /** Its first `Id` child, or null. */
  id: ElementSpan | null
  /** Its first `Acct` child, or null. */
  account: ElementSpan | null
  /** Its `Ntry` children in order, as flat `start, end` pairs (a number pair per entry keeps a file of tiny entries small). */
  entries: number[]
  /** Its entries longer than {@link LARGE_ELEMENT_CHARS}, by start, with their children. */
  large_entries: Map<number, ElementSpan>
}

/**
 * The elements of a CAMT file the parser reads, found without building the
 * document's tree: whether `Document` holds the message's root element with
 * content (`BkToCstmrStmt` or `BkToCstmrDbtCdtNtfctn`), and each statement's
 * `Id`, `Acct` and `Ntry` elements. Each is then parsed on its own, small.
 */
export type CamtOutline = {
  /** `missing`: no `Document/<root>` element, or one without child, attribute or processing instruction. */
  root: "missing" | "found"
  statements: StatementOutline[]
}

/** An element longer than this (a batched entry of hundreds of transactions, say) is read a child at a time. */
export const LARGE_ELEMENT_CHARS = 32 * 1024

/** How many characters of the text the scanner reads between two pauses (~1–3 ms of work on a 2-core machine). */
export const OUTLINE_CHUNK_CHARS = 64 * 1024

// What saxes refuses but the whole-document validator this replaces
// (fast-xml-parser's XMLValidator) accepted: characters and entities inside
// text and attribute values, `--` in a comment, `]]>` in text. Files with
// them were read before; they still are (the text is read by fast-xml-parser
// as before, and control characters in a line are refused later, naming the
// field). A garbled XML declaration is refused now, and a second root element
// always (the validator refused most shapes of it too).
const TOLERATED = new Set([
  "disallowed character.",
  "undefined entity.",
  "malformed character entity.",
  "empty entity name.",
  "malformed comment.",
  'the string "]]>" is disallowed in char data.',
])

/** An element's name without its namespace prefix, as fast-xml-parser's `removeNSPrefix` gives it. */
function localName(name: string): string {
  const colon = name.indexOf(":")
  return colon === -1 ? name : name.slice(colon + 1)
}

/**
 * Scans a CAMT document with a streaming XML tokenizer (saxes),
 * {@link OUTLINE_CHUNK_CHARS} characters per slice, checking that it is
 * well-formed: malformed XML is refused with a 400 naming the line. Answers
 * where the message's root, statements and entries are.
 */
export function* outlineCamt(fileName: string, text: string, rootName: string, statementName: string): Sliced<CamtOutline> {
  const sax = new SaxesParser({ xmlns: false, position: true })
  const outline: CamtOutline = { root: "missing", statements: [] }
  // Element depth: 1 is the root element, so the message's root is at 2, statements at 3, their children at 4.
  let depth = 0
  let documentSeen = false
  let inDocument = false
  let rootSeen = false
  let inRoot = false
  let statement: StatementOutline | null = null
  // The elements open inside the statement child being captured (an entry, its Id or Acct), outermost first, each with its children so far.
  const open: { name: string; start: number; open_end: number; children: ElementSpan[] }[] = []
  let capturing: "entry" | "id" | "account" | null = null

  sax.on("error", (error) => {
    const match = /^(\d+):\d+: ([\s\S]*)$/.exec(error.message)
    const message = match ? match[2] : error.message
    if (TOLERATED.has(message)) {
      return
    }
    throw new BankStatementError({
      file_name: fileName,
      line: match ? Number(match[1]) : null,
      message: `is not well-formed XML: ${message}`,
    })
  })
  sax.on("opentagstart", (tag) => {
    depth += 1
    const name = localName(tag.name)
    if (depth === 1) {
      inDocument = !documentSeen && name === "Document"
      documentSeen ||= inDocument
    } else if (depth === 2) {
      inRoot = inDocument && !rootSeen && name === rootName
      rootSeen ||= inRoot
    } else if (depth === 3 && inRoot) {
      outline.root = "found"
      statement = name === statementName ? { id: null, account: null, entries: [], large_entries: new Map() } : null
      if (statement) {
        outline.statements.push(statement)
      }
    } else if (depth === 4 && statement) {
      capturing = name === "Ntry" ? "entry" : name === "Id" && !statement.id ? "id" : name === "Acct" && !statement.account ? "account" : null
    }
    if (depth >= 4 && capturing) {
      // The tag's `<` is the last one before the end of its name.
      open.push({ name, start: text.lastIndexOf("<", sax.position - 1), open_end: -1, children: [] })
    }
  })
  sax.on("opentag", (tag) => {
    if (depth >= 4 && capturing) {
      open[open.length - 1].open_end = sax.position
    }
    // fast-xml-parser drops namespace declarations: only another attribute makes an empty root element an object.
    if (depth === 2 && inRoot && Object.keys(tag.attributes).some((key) => key !== "xmlns" && !key.startsWith("xmlns:"))) {
      outline.root = "found"
    }
  })
  sax.on("processinginstruction", () => {
    if (depth === 2 && inRoot) {
      outline.root = "found"
    }
  })
  sax.on("closetag", () => {
    if (depth >= 4 && capturing && statement) {
      const element = open.pop() as (typeof open)[number]
      const end = sax.position
      // A short element is parsed whole: what it holds need not be kept.
      const children = end - element.start > LARGE_ELEMENT_CHARS && element.children.length ? element.children : null
      const span: ElementSpan = { name: element.name, start: element.start, open_end: element.open_end, end, children }
      if (depth > 4) {
        open[open.length - 1].children.push(span)
      } else if (capturing === "entry") {
        statement.entries.push(span.start, span.end)
        if (children) {
          statement.large_entries.set(span.start, span)
        }
      } else if (capturing === "id") {
        statement.id = span
      } else {
        statement.account = span
      }
      if (depth === 4) {
        capturing = null
      }
    } else if (depth === 3) {
      statement = null
    } else if (depth === 2) {
      inRoot = false
    } else if (depth === 1) {
      inDocument = false
    }
    depth -= 1
  })

  for (let start = 0; start < text.length; start += OUTLINE_CHUNK_CHARS) {
    sax.write(text.slice(start, start + OUTLINE_CHUNK_CHARS))
    yield
  }
  sax.close()
  return outline
}
