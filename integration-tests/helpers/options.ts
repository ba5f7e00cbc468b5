// The plugin's options for one spec file. The runner loads medusa-config
// before it applies its `env` option, so they go through PAYMENT_DESK_OPTIONS
// (read by medusa-config), set when the spec file loads.

/** Sets the plugin options for this spec file and puts the previous value back after it. */
export function usePaymentDeskOptions(options: Record<string, unknown>) {
  const previous = process.env.PAYMENT_DESK_OPTIONS
  process.env.PAYMENT_DESK_OPTIONS = JSON.stringify(options)
  afterAll(() => {
    if (previous === undefined) {
      delete process.env.PAYMENT_DESK_OPTIONS
    } else {
      process.env.PAYMENT_DESK_OPTIONS = previous
    }
  })
}
