import { authenticate, defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    {
      matcher: "/store/payment-desk/*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
  ],
})
