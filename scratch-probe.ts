import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
export default async function ({ container }: { container: any }) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  try {
    const r = await query.graph({ entity: "notification_provider", fields: ["id", "channels", "is_enabled"] })
    console.log("QUERY", JSON.stringify(r.data))
  } catch (e: any) { console.log("QUERY ERR", e.message.slice(0, 300)) }
  const n = container.resolve(Modules.NOTIFICATION)
  console.log("METHODS", Object.getOwnPropertyNames(Object.getPrototypeOf(n)).filter((m) => /rovider/i.test(m)))
  console.log("KEYS", Object.keys(n).join(","))
  console.log("JOINER", JSON.stringify(n.__joinerConfig?.()?.linkableKeys ?? n.__joinerConfig?.()))
}
