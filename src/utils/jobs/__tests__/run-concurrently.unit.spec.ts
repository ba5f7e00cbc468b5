import { oneAtATime, runConcurrently } from "../run-concurrently"

describe("runConcurrently", () => {
  it("runs every item, never more than `concurrency` at once", async () => {
    let running = 0
    let peak = 0
    const done: number[] = []
    await runConcurrently([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((resolve) => setTimeout(resolve, 5 + (n % 3) * 5))
      done.push(n)
      running--
    })
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(peak).toBe(3)
  })

  it("goes on after a failure and rethrows the first one at the end", async () => {
    const done: number[] = []
    await expect(
      runConcurrently([1, 2, 3, 4], 2, async (n) => {
        if (n === 2) throw new Error("two failed")
        done.push(n)
      })
    ).rejects.toThrow("two failed")
    expect(done.sort()).toEqual([1, 3, 4])
  })

  it("handles an empty list", async () => {
    await expect(runConcurrently([], 4, async () => {})).resolves.toBeUndefined()
  })
})

describe("oneAtATime", () => {
  it("starts each call's work once every earlier one has finished, a failure included", async () => {
    const queue = oneAtATime()
    const log: string[] = []
    const job = (name: string, ms: number, fail = false) =>
      queue(async () => {
        log.push(`start ${name}`)
        await new Promise((resolve) => setTimeout(resolve, ms))
        log.push(`end ${name}`)
        if (fail) throw new Error(name)
        return name
      })
    const results = await Promise.allSettled([job("a", 20, true), job("b", 5), job("c", 1)])
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"])
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"])
  })
})
