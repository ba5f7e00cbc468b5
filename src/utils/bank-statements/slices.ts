import { setImmediate as yieldToLoop } from "node:timers/promises"
import { BankStatementError } from "./errors"

/**
 * Work done in slices: a generator that `yield`s wherever it may pause and
 * returns its result. The same parser then serves both callers: the
 * synchronous one runs it through ({@link runSliced}), the upload path hands
 * the event loop back between slices ({@link runSlicedAsync}), so what is
 * parsed cannot differ between the two.
 */
export type Sliced<T> = Generator<void, T, void>

/** Runs sliced work to its end without pausing. */
export function runSliced<T>(work: Sliced<T>): T {
  let step = work.next()
  while (!step.done) {
    step = work.next()
  }
  return step.value
}

/** Runs sliced work, yielding to the event loop (`setImmediate`) between slices, so other requests are answered meanwhile. */
export async function runSlicedAsync<T>(work: Sliced<T>): Promise<T> {
  let step = work.next()
  while (!step.done) {
    await yieldToLoop()
    step = work.next()
  }
  return step.value
}

/** Limits a statement parser checks as it reads. */
export type StatementLimits = {
  /** Most lines a file may give (`bank_statements.max_lines`); the line past it is refused as soon as it is read. */
  max_lines?: number
}

/** The 400 for a file with more lines than `bank_statements.max_lines`, naming the line (or CAMT entry) past the cap. */
export function tooManyLinesError(fileName: string, line: number, unit: "line" | "entry", maxLines: number): BankStatementError {
  return new BankStatementError({
    file_name: fileName,
    line,
    unit,
    message: `holds more than ${maxLines.toLocaleString("en")} lines (bank_statements.max_lines); split the file by date`,
  })
}
