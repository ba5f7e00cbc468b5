// Touches the machine's free memory once, so that later processes do not pay
// for its first use. On the CI machines (Firecracker VMs, see
// docs/development.md#ci-time) guest memory is backed by the host lazily: the
// first write to each page costs ~3 s per GB (measured: 4 GB in 13.5 s,
// against 0.5 s once the memory had been used), and the test run touches
// many GB anew in every Medusa process it starts. Writing the free memory
// once up front (~30 s for 17 GB) makes every later first use cheap.
// Prints what it did; never fails the run.
const fs = require("node:fs")

function availableBytes() {
  const meminfo = fs.readFileSync("/proc/meminfo", "utf8")
  const kb = Number(/^MemAvailable:\s+(\d+) kB/m.exec(meminfo)?.[1] ?? 0)
  return kb * 1024
}

const started = Date.now()
const GB = 1024 ** 3
// Leave room for what runs beside it (npm ci, the apt install).
const chunks = Math.max(0, Math.floor(availableBytes() / GB) - 3)
const held = []
for (let i = 0; i < chunks; i++) {
  const chunk = Buffer.allocUnsafeSlow(GB)
  chunk.fill(0x5a)
  held.push(chunk)
}
console.log(`== warmed ${chunks} GB of memory in ${((Date.now() - started) / 1000).toFixed(0)} s`)
