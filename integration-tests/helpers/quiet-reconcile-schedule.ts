// Imported first by specs that run the reconciliation job themselves: the
// store's own schedule of that job (every 5 minutes) would otherwise fire in
// the middle of a long spec and race the runs the spec counts. An interval of
// ~24 days keeps it from firing during the spec.
process.env.PAYMENT_DESK_RECONCILE_SCHEDULE = "2147483647"

export {}
