import type {
  AuthenticatedMedusaRequest,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { isAllowed, PAYMENT_DESK_MODULE, Permission } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

const ACTIONS: Record<Permission, string> = {
  record_payment: "record payments",
  refund: "issue refunds",
  close_order: "close orders",
}

/** Whether the admin making the request holds `permission` (plugin option `permissions`). */
export async function hasPermission(req: AuthenticatedMedusaRequest, permission: Permission): Promise<boolean> {
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const rule = desk.getOptions().permissions[permission]
  if (rule === "*") {
    return true
  }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "user", fields: ["id", "email"], filters: { id: req.auth_context?.actor_id } })
  return !!data[0] && isAllowed(rule, data[0])
}

/** Lets the request through when the admin holds `permission`; 403 otherwise. */
export function requirePermission(permission: Permission) {
  return async (request: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    if (!(await hasPermission(request as AuthenticatedMedusaRequest, permission))) {
      return next(
        new MedusaError(
          MedusaError.Types.FORBIDDEN,
          `You may not ${ACTIONS[permission]}: the "${permission}" permission of medusa-payment-desk does not include you`
        )
      )
    }
    next()
  }
}
