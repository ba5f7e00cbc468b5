import { z } from "@medusajs/framework/zod"

// C0 controls but tab, line feed and carriage return, DEL, and the C1 controls.
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
// The same and tab, line feed and carriage return: ids, references and names are one line.
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F]/

/** The first control character of a value as `U+0000 at position 3`, or null when it holds none. */
export function controlCharacterIn(value: string, multiline = false): string | null {
  const match = (multiline ? CONTROL_IN_TEXT : CONTROL_IN_LINE).exec(value)
  if (!match) {
    return null
  }
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")
  return `U+${code} at position ${match.index + 1}`
}

/**
 * A free-text field (a note, a message): at most `max` characters, line breaks
 * and tabs allowed, no NUL or other control character; the error names the field.
 */
export const textField = (field: string, max = 2000) =>
  z
    .string({ error: `${field}: must be text` })
    .max(max, `${field}: at most ${max} characters`)
    .superRefine((value, ctx) => {
      const found = controlCharacterIn(value, true)
      if (found) {
        ctx.addIssue({ code: "custom", message: `${field}: must not hold control characters (${found})` })
      }
    })

/**
 * A one-line field (an id, a reference, a name, a search): at most `max`
 * characters, no NUL, line break or other control character; the error names the field.
 */
export const lineField = (field: string, max = 255) =>
  z
    .string({ error: `${field}: must be text` })
    .max(max, `${field}: at most ${max} characters`)
    .superRefine((value, ctx) => {
      const found = controlCharacterIn(value)
      if (found) {
        ctx.addIssue({ code: "custom", message: `${field}: must not hold control characters (${found})` })
      }
    })
