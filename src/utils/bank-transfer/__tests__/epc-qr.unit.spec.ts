import jsQR from "jsqr"
import { PNG } from "pngjs"
import QRCode from "qrcode"
import { epcPayload, renderQrSvg } from "../epc-qr"

const demo = {
  account_holder: "Payment Desk Demo GmbH",
  iban: "DE89 3704 0044 0532 0130 00",
  bic: "COBADEFFXXX",
  amount: 12.5,
  reference: "RF18 5390 0754 7034",
}

function read(pixels: Uint8ClampedArray, width: number, height: number): string {
  const result = jsQR(pixels, width, height)
  if (!result) {
    throw new Error("The QR code could not be read")
  }
  return result.data
}

/** Renders the payload as a PNG, as a banking app's camera would see it, and reads it back. */
async function decode(payload: string): Promise<string> {
  const png = PNG.sync.read(await QRCode.toBuffer(payload, { errorCorrectionLevel: "M", scale: 4 }))
  return read(new Uint8ClampedArray(png.data), png.width, png.height)
}

/**
 * Reads the SVG the API serves: paints its dark path (absolute `M x y`,
 * relative `m dx dy` and `h n` strokes of one module's height) into pixels.
 */
function decodeSvg(svg: string): string {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1])
  const path = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? ""
  const scale = 4
  const width = size * scale
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255)
  let x = 0
  let y = 0
  for (const [, command, a, b] of path.matchAll(/([MmhH])(-?[\d.]+)(?:[ ,](-?[\d.]+))?/g)) {
    if (command === "M") {
      x = Number(a)
      y = Number(b) - 0.5
    } else if (command === "m") {
      x += Number(a)
      y += Number(b)
    } else {
      for (let column = x; column < x + Number(a); column++) {
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const offset = ((y * scale + dy) * width + column * scale + dx) * 4
            pixels[offset] = pixels[offset + 1] = pixels[offset + 2] = 0
          }
        }
      }
      x += Number(a)
    }
  }
  return read(pixels, width, width)
}

describe("EPC QR code (EPC069-12)", () => {
  it("lays out every field of version 002 and survives a round trip through a QR code", async () => {
    const payload = epcPayload(demo)
    const lines = (await decode(payload)).split("\n")
    expect(lines).toEqual([
      "BCD", // service tag
      "002", // version
      "1", // character set: UTF-8
      "SCT", // SEPA credit transfer
      "COBADEFFXXX",
      "Payment Desk Demo GmbH",
      "DE89370400440532013000",
      "EUR12.50",
      "", // purpose
      "RF18539007547034", // structured remittance: the creditor reference
      "", // no remittance text beside it
    ])
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(331)
  })

  it("keeps UTF-8 names, an empty BIC, and a plain reference as remittance text", async () => {
    const payload = epcPayload({ ...demo, account_holder: "Zahlungsbüro Müller", bic: null, amount: "1000", reference: "1042" })
    expect((await decode(payload)).split("\n")).toEqual([
      "BCD", "002", "1", "SCT", "", "Zahlungsbüro Müller", "DE89370400440532013000", "EUR1000.00", "", "", "1042",
    ])
  })

  it("rounds the amount to cents without float error", () => {
    expect(epcPayload({ ...demo, amount: 0.1 + 0.2 }).split("\n")[7]).toBe("EUR0.30")
    expect(epcPayload({ ...demo, amount: "109.98" }).split("\n")[7]).toBe("EUR109.98")
  })

  it.each([
    [{ amount: 0 }, "amount from EUR0.01"],
    [{ amount: "1000000000" }, "amount from EUR0.01"],
    [{ account_holder: "x".repeat(71) }, "account holder of 1 to 70 characters"],
    [{ account_holder: " " }, "account holder of 1 to 70 characters"],
  ])("refuses %j", (over, message) => {
    expect(() => epcPayload({ ...demo, ...over })).toThrow(message)
  })

  it("renders the code as an SVG document that reads back as the payload", async () => {
    const payload = epcPayload(demo)
    const svg = await renderQrSvg(payload)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/)
    expect(decodeSvg(svg)).toBe(payload)
  })
})
