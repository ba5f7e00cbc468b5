import http from "node:http"
import type { AddressInfo } from "node:net"
import Medusa from "@medusajs/js-sdk"
import { paymentDesk } from ".."

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A store on loopback that answers each path with a canned status and body, and records what it was sent. */
async function fakeStore(answers: Record<string, [number, unknown]>) {
  const seen: Seen[] = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => (body += chunk))
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      const [status, answer] = answers[req.url!.split("?")[0]] ?? [404, { type: "not_found", message: "No route" }]
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) }
}

describe("medusa-payment-desk/storefront with a real js-sdk", () => {
  it("lists a region's methods with the publishable key", async () => {
    const methods = [{ provider_id: "pp_manual_bank-transfer", method: "bank-transfer", display_name: "Bank transfer", kind: "bank_transfer", payment_window_hours: 48 }]
    const store = await fakeStore({ "/store/payment-desk/payment-methods": [200, { payment_methods: methods }] })
    try {
      const desk = paymentDesk(new Medusa({ baseUrl: store.url, publishableKey: "pk_1" }))
      expect(await desk.listPaymentMethods("reg_1")).toEqual({ payment_methods: methods })
      expect(store.seen[0]).toMatchObject({ method: "GET", url: "/store/payment-desk/payment-methods?region_id=reg_1" })
      expect(store.seen[0].headers["x-publishable-api-key"]).toBe("pk_1")
    } finally {
      await store.close()
    }
  })

  it("reads an order's payment with the customer's token; a 404 is null, other errors throw with the store's message", async () => {
    const store = await fakeStore({
      "/store/payment-desk/orders/order_1/instructions": [200, { order_id: "order_1", status: "awaiting_payment" }],
      "/store/payment-desk/orders/order_3/instructions": [500, { type: "unexpected_state", message: "Database unavailable" }],
    })
    try {
      const desk = paymentDesk(new Medusa({ baseUrl: store.url, publishableKey: "pk_1" }))
      expect(await desk.retrieveOrderPayment("order_1", { headers: { authorization: "Bearer t1" } })).toMatchObject({
        status: "awaiting_payment",
      })
      expect(store.seen[0].headers.authorization).toBe("Bearer t1")
      expect(await desk.retrieveOrderPayment("order_2")).toBeNull()
      await expect(desk.retrieveOrderPayment("order_3")).rejects.toMatchObject({ status: 500, message: "Database unavailable" })
      // An id is one path segment, whatever it holds.
      expect(await desk.retrieveOrderPayment("../carts/x")).toBeNull()
      expect(store.seen.at(-1)!.url).toBe("/store/payment-desk/orders/..%2Fcarts%2Fx/instructions")
    } finally {
      await store.close()
    }
  })

  it("closes with the body, the customer's token and an Idempotency-Key; a refusal throws the store's message", async () => {
    const store = await fakeStore({
      "/store/payment-desk/orders/order_1/close": [200, { outcome: "requested", cancellation_request: { id: "pdcrq_1" } }],
      "/store/payment-desk/orders/order_2/close": [400, { type: "not_allowed", message: "Order #2 is paid: ask the store" }],
    })
    try {
      const desk = paymentDesk(new Medusa({ baseUrl: store.url, publishableKey: "pk_1" }))
      const result = await desk.closeOrder(
        "order_1",
        { reason: "customer_request", note: "Twice" },
        { headers: { authorization: "Bearer t1" }, idempotencyKey: "key-1" }
      )
      expect(result.outcome).toBe("requested")
      expect(store.seen[0]).toMatchObject({ method: "POST", url: "/store/payment-desk/orders/order_1/close" })
      expect(JSON.parse(store.seen[0].body)).toEqual({ reason: "customer_request", note: "Twice" })
      expect(store.seen[0].headers).toMatchObject({ authorization: "Bearer t1", "idempotency-key": "key-1" })
      await expect(desk.closeOrder("order_2")).rejects.toMatchObject({ status: 400, message: "Order #2 is paid: ask the store" })
      expect(store.seen[1].headers["idempotency-key"]).toBeUndefined()
    } finally {
      await store.close()
    }
  })
})
