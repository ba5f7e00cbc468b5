"use client"

import { CheckMini, SquareTwoStack } from "@medusajs/icons"
import { clx } from "@modules/common/components/ui"
import { paymentDeskStrings as t } from "@modules/payment-desk/strings"
import { useState } from "react"

/** Copies `value` to the clipboard; says "Copied" for two seconds. */
const CopyButton = ({ value, label }: { value: string; label: string }) => {
  const [copied, setCopied] = useState(false)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      // No clipboard (an insecure page or a refused permission): the value stays selectable.
    }
  }

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={t.copyLabel(label)}
      className={clx(
        "inline-flex items-center gap-1 rounded-md px-2 h-7 txt-compact-small text-ui-fg-subtle hover:bg-ui-bg-base-hover",
        copied && "text-ui-fg-interactive"
      )}
      data-testid={`copy-${label.toLowerCase().replace(/\s+/g, "-")}`}
    >
      {copied ? <CheckMini /> : <SquareTwoStack />}
      <span>{copied ? t.copied : t.copy}</span>
    </button>
  )
}

export default CopyButton
