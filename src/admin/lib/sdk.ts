import Medusa from "@medusajs/js-sdk"

// `__BACKEND_URL__` is defined when the store builds its admin, so the widgets
// call the store's configured backend; "/" (same origin) when it is empty or absent.
/** The store's backend URL the admin calls ("/" for the same origin). */
export const backendUrl =
  typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__ ? __BACKEND_URL__ : "/"

/** The JS SDK for the admin widgets, on the admin's own session. */
export const sdk = new Medusa({
  baseUrl: backendUrl,
  debug: import.meta.env.DEV,
  auth: { type: "session" },
})
