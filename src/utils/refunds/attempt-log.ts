import type { AttemptRecord } from "./transitions"
import type { GatewayAnswer } from "./gateways/types"

/** One attempt in a row's `attempt_log`: its key, when it was dispatched, the raw request and answer. */
export type AttemptLogEntry = AttemptRecord & {
  at: string
  request?: Record<string, unknown>
  response?: Record<string, unknown>
  error?: GatewayAnswer["error"]
}

/** The attempts stored in a row's `attempt_log`. */
export const attemptsOf = (log: unknown): AttemptLogEntry[] =>
  ((log as { attempts?: AttemptLogEntry[] } | null)?.attempts ?? []) as AttemptLogEntry[]

/** The log with attempt `attempt` replaced by what the provider answered. */
export function withAnswer(log: unknown, attempt: number, answer: GatewayAnswer | null, outcome?: AttemptRecord["outcome"]) {
  return {
    attempts: attemptsOf(log).map((entry) =>
      entry.attempt === attempt
        ? {
            ...entry,
            outcome: outcome ?? answer?.outcome ?? entry.outcome,
            ...(answer?.request ? { request: answer.request } : {}),
            ...(answer?.response ? { response: answer.response } : {}),
            ...(answer?.error ? { error: answer.error } : {}),
          }
        : entry
    ),
  }
}
