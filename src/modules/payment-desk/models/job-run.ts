import { model } from "@medusajs/framework/utils"
import type { InferTypeOf } from "@medusajs/framework/types"

/**
 * One run of a scheduled job of the plugin: when it started and finished and
 * what it did (its report, e.g. `{ closed, flagged, skipped, failed }`).
 */
const JobRun = model
  .define("payment_desk_job_run", {
    id: model.id({ prefix: "pdjob" }).primaryKey(),
    name: model.text(),
    started_at: model.dateTime(),
    finished_at: model.dateTime(),
    report: model.json().nullable(),
  })
  .indexes([{ on: ["name", "started_at"] }])

/** A job run as stored. */
export type JobRunRow = InferTypeOf<typeof JobRun>

export default JobRun
