import { useCallback, useEffect, useState } from "react"

/**
 * Next pages by keyset for a list that gives `cursors`: page n+1 is read
 * after the cursor of page n's last row (remembered per filter set, named
 * by `filterKey`), so a deep page costs what the first does; a page not
 * reached by Next uses its offset. Returns the `after` cursor for the page
 * at `pageIndex` (if one is known) and `useNext`, to be called after the
 * page's query with its `cursors.last` (null while it shows an older page).
 */
export function useKeysetPages(filterKey: string, pageIndex: number) {
  const [afterByPage, setAfterByPage] = useState<{ key: string; cursors: Record<number, string> }>({ key: filterKey, cursors: {} })
  const remember = useCallback(
    (cursor: string) =>
      setAfterByPage((current) => {
        const cursors = current.key === filterKey ? current.cursors : {}
        return cursors[pageIndex + 1] === cursor ? current : { key: filterKey, cursors: { ...cursors, [pageIndex + 1]: cursor } }
      }),
    [filterKey, pageIndex]
  )
  return {
    after: pageIndex > 0 && afterByPage.key === filterKey ? afterByPage.cursors[pageIndex] : undefined,
    remember,
  }
}

/** Remembers the cursor after the page on show (see {@link useKeysetPages}). */
export function useRememberNext(remember: (cursor: string) => void, nextCursor: string | null | undefined) {
  useEffect(() => {
    if (nextCursor) remember(nextCursor)
  }, [nextCursor, remember])
}
