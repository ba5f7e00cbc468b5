import type { InferTypeOf } from "@medusajs/framework/types"
import type JobRun from "./models/job-run"
import { BankStatementData } from "./bank-statements"

/** The scheduled jobs' runs: what each run did, and the newest run of each job. */
export abstract class JobRunData extends BankStatementData {
  /**
   * Records that a job ran and what it did; runs of the same job older than
   * `keepDays` are dropped (a job every 5 minutes would otherwise add 100,000 rows a year).
   */
  async recordJobRun(
    input: { name: string; started_at: Date; finished_at: Date; report: Record<string, unknown> | null },
    keepDays = 30
  ): Promise<void> {
    await this.createJobRuns(input)
    const old = await this.listJobRuns(
      { name: input.name, started_at: { $lt: new Date(Date.now() - keepDays * 86_400_000) } },
      { select: ["id"], take: 1000 }
    )
    if (old.length) {
      await this.deleteJobRuns(old.map((run) => run.id))
    }
  }

  /** When each job last ran and what it did: the newest run of every job name. */
  async lastJobRuns(names: string[]): Promise<Record<string, InferTypeOf<typeof JobRun> | null>> {
    const runs: Record<string, InferTypeOf<typeof JobRun> | null> = {}
    await Promise.all(
      names.map(async (name) => {
        const [run] = await this.listJobRuns({ name }, { take: 1, order: { started_at: "DESC" } })
        runs[name] = (run as unknown as InferTypeOf<typeof JobRun>) ?? null
      })
    )
    return runs
  }
}
