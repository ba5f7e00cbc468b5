// `@medusajs/test-utils` as the specs import it (jest.config.js maps the name
// here): everything it exports, with `medusaIntegrationTestRunner` handing the
// suite an HTTP client whose failures are plain errors. An axios error holds
// its request and response, which point at each other; with several jest
// workers, a test failing with one cannot be sent back to the parent
// ("Converting circular structure to JSON"): the worker dies, jest retries the
// whole spec file and finally reports "Jest worker encountered 4 child process
// exceptions" instead of the failed test. The plain error names the request and
// the answer, and keeps `response` ({ status, data, headers }) for the specs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require("@medusajs/test-utils/dist/index.js") as typeof import("@medusajs/test-utils/dist/index")

type AxiosLikeError = {
  isAxiosError?: boolean
  code?: string
  message?: string
  config?: { method?: string; url?: string }
  response?: { status: number; statusText?: string; data: unknown; headers?: Record<string, unknown> }
}

/** An axios error as a plain Error (no request, no socket), other errors as they are. */
export function plainHttpError(error: unknown): unknown {
  const axiosError = error as AxiosLikeError
  if (!axiosError?.isAxiosError) {
    return error
  }
  const { config = {}, response } = axiosError
  const answered = response ? `${response.status} ${JSON.stringify(response.data)?.slice(0, 2000)}` : axiosError.code ?? axiosError.message
  const plain = new Error(`${String(config.method ?? "get").toUpperCase()} ${config.url} answered ${answered}`) as Error & {
    code?: string
    response?: AxiosLikeError["response"]
  }
  plain.code = axiosError.code
  plain.response = response
    ? { status: response.status, statusText: response.statusText, data: response.data, headers: { ...(response.headers ?? {}) } }
    : undefined
  return plain
}

type RunnerOptions = Parameters<typeof real.medusaIntegrationTestRunner>[0]

/** Medusa's runner; its `api` client rejects with plain errors (see above). */
export function medusaIntegrationTestRunner(options: RunnerOptions) {
  return real.medusaIntegrationTestRunner({
    ...options,
    testSuite: (suite) => {
      beforeAll(() => {
        const api = suite.api as { interceptors: { response: { use: (ok: (r: unknown) => unknown, fail: (e: unknown) => unknown) => void } } }
        api.interceptors.response.use(
          (response) => response,
          (error) => Promise.reject(plainHttpError(error))
        )
      })
      return options.testSuite(suite)
    },
  })
}

module.exports = { ...real, medusaIntegrationTestRunner, plainHttpError }
