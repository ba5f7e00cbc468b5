import Medusa from "@medusajs/js-sdk"

/** The JS SDK for the admin widgets, on the admin's own session. */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: import.meta.env.DEV,
  auth: { type: "session" },
})
