import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { PAYMENT_DESK_MODULE, PERMISSIONS } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"
import { rbacApplies } from "./require-permission"

/** The emails the plugin's `permissions` option names (lowercased), with the permissions each grants. */
function listedEmails(req: MedusaRequest): Map<string, string[]> {
  const rules = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE).getOptions().permissions
  const listed = new Map<string, string[]>()
  for (const permission of PERMISSIONS) {
    const rule = rules[permission]
    if (rule === "*") continue
    for (const entry of rule) {
      if (entry.includes("@")) {
        const email = entry.toLowerCase()
        listed.set(email, [...(listed.get(email) ?? []), permission])
      }
    }
  }
  return listed
}

/** The email an invite request would give the new admin: the body's, else (on accept) the invite's own. */
async function inviteEmail(req: MedusaRequest): Promise<string | null> {
  const body = (req.body ?? {}) as { email?: unknown }
  if (typeof body.email === "string" && body.email.trim()) {
    return body.email.trim().toLowerCase()
  }
  const token = (req.query as { token?: unknown }).token
  if (typeof token !== "string" || !token) {
    return null
  }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "invite", fields: ["email"], filters: { token } })
  return (data[0]?.email as string | undefined)?.toLowerCase() ?? null
}

/**
 * Refuses to create (`POST /admin/invites`) or accept (`POST
 * /admin/invites/accept`) an invite for an email the plugin's `permissions`
 * option names. Medusa hands an invite's token to the admin who created it,
 * and the accepting person may even choose the account's email, so any admin
 * could otherwise make an account under a listed email and take its money
 * permissions. Such an account is made on the server (`medusa user`) or
 * listed by its user id. With Medusa RBAC on, roles decide and this is off.
 */
export async function guardPermissionEmails(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    if (rbacApplies(req.scope)) {
      return next()
    }
    const listed = listedEmails(req)
    const email = listed.size ? await inviteEmail(req) : null
    const grants = email ? listed.get(email) : undefined
    if (grants) {
      return next(
        new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `${email} is named in medusa-payment-desk's permissions (${grants.join(", ")}): its account cannot come from an invite, which any admin can accept. Create it on the server (medusa user), or list the user's id instead`
        )
      )
    }
    next()
  } catch (error) {
    // Fail closed: an invite is not let through on a failed check.
    next(error)
  }
}
