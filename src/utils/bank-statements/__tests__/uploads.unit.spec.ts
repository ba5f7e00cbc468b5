import { heldUpload, holdUpload, releaseUpload } from "../uploads"

describe("uploads held for their import", () => {
  it("answers the file by its id until it is released, and nothing for an unknown id", () => {
    const content = Buffer.from("Datum;Betrag\n")
    const id = holdUpload(content)
    expect(id).toMatch(/^pdupl_[0-9a-f]{32}$/)
    expect(heldUpload(id)).toBe(content)
    releaseUpload(id)
    expect(heldUpload(id)).toBeNull()
    expect(heldUpload("pdupl_unknown")).toBeNull()
    expect(holdUpload(content)).not.toBe(id)
  })
})
