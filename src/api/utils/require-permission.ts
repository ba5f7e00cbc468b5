import type {
  AuthenticatedMedusaRequest,
  MedusaNextFunction,
  MedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { hasPermission as rbacAllows } from "@medusajs/framework"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { FeatureFlagTypes, MedusaContainer } from "@medusajs/framework/types"
import { isAllowed, PAYMENT_DESK_MODULE, Permission, PERMISSIONS, RBAC_POLICIES } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

const ACTIONS: Record<Permission, string> = {
  record_payment: "record payments",
  refund: "issue refunds",
  close_order: "close orders",
}

/**
 * Whether Medusa's RBAC decides (its `rbac` feature flag is on, which also
 * loads the RBAC module): then the money routes' `policies` are enforced by
 * Medusa's router and the plugin's `permissions` option is not read.
 */
export function rbacApplies(container: MedusaContainer): boolean {
  const flags = container.resolve<FeatureFlagTypes.IFlagRouter>(ContainerRegistrationKeys.FEATURE_FLAG_ROUTER)
  return flags.isFeatureEnabled("rbac")
}

/**
 * Whether the admin making the request may do `permission`: Medusa RBAC's
 * policy (`payment_desk_refund:create`, ...) for the roles in the session
 * when RBAC applies, else the plugin option `permissions`.
 */
export async function hasPermission(req: AuthenticatedMedusaRequest, permission: Permission): Promise<boolean> {
  if (rbacApplies(req.scope)) {
    const roles = (req.auth_context?.app_metadata?.roles as string[] | undefined) ?? []
    if (!roles.length) {
      return false
    }
    return rbacAllows({ roles, actions: RBAC_POLICIES[permission], container: req.scope })
  }
  const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
  const rule = desk.getOptions().permissions[permission]
  if (rule === "*") {
    return true
  }
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "user", fields: ["id", "email"], filters: { id: req.auth_context?.actor_id } })
  return !!data[0] && isAllowed(rule, data[0])
}

/** What the caller may do, for the admin UI to enable its buttons (whichever rule applies). */
export async function callerCan(req: AuthenticatedMedusaRequest): Promise<Record<Permission, boolean>> {
  const answers = await Promise.all(PERMISSIONS.map((permission) => hasPermission(req, permission)))
  return Object.fromEntries(PERMISSIONS.map((permission, i) => [permission, answers[i]])) as Record<Permission, boolean>
}

/**
 * Lets the request through when the admin holds `permission`; 403 otherwise.
 * With Medusa RBAC on, the route's own `policies` (see `moneyPolicies`)
 * have been checked by Medusa's router before this runs; checking again here
 * keeps the plugin's message and costs one cached role lookup.
 */
export function requirePermission(permission: Permission) {
  return async (request: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    if (!(await hasPermission(request as AuthenticatedMedusaRequest, permission))) {
      const rbac = rbacApplies(request.scope)
      const policy = RBAC_POLICIES[permission]
      return next(
        new MedusaError(
          MedusaError.Types.FORBIDDEN,
          rbac
            ? `You may not ${ACTIONS[permission]}: your roles lack the ${policy.resource}:${policy.operation} policy`
            : `You may not ${ACTIONS[permission]}: the "${permission}" permission of medusa-payment-desk does not include you`
        )
      )
    }
    next()
  }
}

/** The Medusa RBAC policy a money route declares (enforced by Medusa's router when RBAC is on). */
export function moneyPolicies(permission: Permission) {
  return [RBAC_POLICIES[permission]]
}
