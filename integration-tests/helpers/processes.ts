// Real processes for the multi-instance tests: a redis-server of the test's
// own on a free port, and Medusa instances (`medusa start` from the root, in
// development mode so it runs src/ with no build) with their output kept.
import { ChildProcess, execFile, spawn } from "node:child_process"
import net from "node:net"
import path from "node:path"
import { promisify } from "node:util"

export const ROOT = path.resolve(__dirname, "../..")
const MEDUSA = path.join(ROOT, "node_modules/.bin/medusa")

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check().catch(() => false)) {
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${what} not ready within ${timeoutMs / 1000} s`)
}

const answersTcp = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.once("connect", () => {
      socket.end()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

/** A redis-server of the test's own (no persistence), which can be stopped and started again on its port. */
export class RedisServer {
  child?: ChildProcess
  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`
  }

  async start() {
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    })
    await waitFor(() => answersTcp(this.port), `redis-server on ${this.port}`, 10_000)
  }

  async stop() {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve())
      child.kill("SIGKILL")
    })
  }
}

/** One Medusa process and everything it printed. */
export class MedusaInstance {
  child?: ChildProcess
  output = ""
  constructor(
    readonly name: string,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  async start(timeoutMs = 120_000) {
    this.child = spawn(MEDUSA, ["start"], {
      cwd: ROOT,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ["ignore", "pipe", "pipe"],
    })
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString()
    }
    this.child.stdout!.on("data", keep)
    this.child.stderr!.on("data", keep)
    await waitFor(
      async () => {
        if (this.child?.exitCode !== null || this.child?.signalCode !== null) {
          throw new Error(`${this.name} exited with ${this.child?.exitCode}:\n${this.output.slice(-3000)}`)
        }
        return (await fetch(`${this.url}/health`)).ok
      },
      `${this.name} (${this.url})`,
      timeoutMs
    )
  }

  /** kill -9: no cleanup, no lock release. */
  async kill() {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve())
      child.kill("SIGKILL")
    })
  }
}

/** Runs a `medusa` CLI command from the root (migrations, exec scripts); rejects with its output, or saying it was stopped at `timeoutMs` (10 min). */
export async function medusaCommand(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 600_000) {
  try {
    const { stdout } = await promisify(execFile)(MEDUSA, args, {
      cwd: ROOT,
      env,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    })
    return stdout
  } catch (error) {
    // execFile's error for a command it stopped at the timeout says only "Command failed".
    const { killed, signal, stderr } = error as { killed?: boolean; signal?: string; stderr?: string }
    if (killed) {
      throw new Error(`medusa ${args.join(" ")} was stopped (${signal}) after ${timeoutMs / 1000} s without finishing\n${String(stderr ?? "").slice(-2000)}`)
    }
    throw error
  }
}
