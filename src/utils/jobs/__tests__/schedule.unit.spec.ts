import { jobSchedule } from "../schedule"

describe("jobSchedule", () => {
  it("keeps the job's default when the deploy sets nothing", () => {
    expect(jobSchedule(undefined, "*/15 * * * *")).toBe("*/15 * * * *")
    expect(jobSchedule("  ", "*/5 * * * *")).toBe("*/5 * * * *")
  })

  it("takes a cron expression as given and a whole number as an interval in ms", () => {
    expect(jobSchedule("0 * * * *", "*/15 * * * *")).toBe("0 * * * *")
    expect(jobSchedule(" 2000 ", "*/15 * * * *")).toEqual({ interval: 2000 })
  })
})

describe("PAYMENT_DESK_JOBS", () => {
  const names = ["PAYMENT_DESK_AUTO_CLOSE_SCHEDULE", "PAYMENT_DESK_RECONCILE_SCHEDULE", "PAYMENT_DESK_REMINDER_SCHEDULE"]

  it("runs every 15, 5 and 30 minutes in a store that sets no schedule", () => {
    const saved = names.map((name) => process.env[name])
    names.forEach((name) => delete process.env[name])
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { PAYMENT_DESK_JOBS } = require("../job-runs") as typeof import("../job-runs")
        expect(PAYMENT_DESK_JOBS.close_unpaid_orders.schedule).toBe("*/15 * * * *")
        expect(PAYMENT_DESK_JOBS.reconcile_refunds.schedule).toBe("*/5 * * * *")
        expect(PAYMENT_DESK_JOBS.remind_unpaid_orders.schedule).toBe("*/30 * * * *")
      })
    } finally {
      names.forEach((name, i) => (saved[i] === undefined ? delete process.env[name] : (process.env[name] = saved[i])))
    }
  })
})
