/**
 * Options of the toast that confirms an action taken on a row of a list
 * (record or ignore a bank line, approve a cancellation, retry a refund). The
 * dashboard shows toasts at the bottom right, over the rows' own buttons, and
 * the row itself already shows the outcome, so this toast leaves sooner than
 * Medusa's default 4 s; every Payment desk page also ends with room below its
 * last row (`DeskPage`), so no row stays under a toast.
 */
export const ROW_ACTION_TOAST = { duration: 2_000 } as const
