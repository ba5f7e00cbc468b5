import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import multer from "multer"
import { PAYMENT_DESK_MODULE } from "../../modules/payment-desk"
import type PaymentDeskModuleService from "../../modules/payment-desk/service"

/** The uploaded statement file, as multer leaves it on the request. */
export type UploadedStatement = { originalname: string; buffer: Buffer; size: number }

/**
 * Reads the multipart upload's `file` field into memory, refusing a file over
 * `bank_statements.max_file_mb` (or a second file) with a 400 naming the file,
 * before any of it is parsed.
 */
export function statementUpload() {
  return (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const desk = req.scope.resolve<PaymentDeskModuleService>(PAYMENT_DESK_MODULE)
    const max = desk.getOptions().bank_statements.max_file_bytes
    let fileName = "the file"
    const upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: max, files: 1 },
      fileFilter: (_req, file, accept) => {
        fileName = file.originalname
        accept(null, true)
      },
    }).single("file")
    upload(req as never, res as never, (error?: unknown) => {
      if (!error) {
        return next()
      }
      const code = (error as { code?: string }).code
      const message =
        code === "LIMIT_FILE_SIZE"
          ? `file: ${fileName} is larger than the ${(max / 1024 / 1024).toFixed(max % (1024 * 1024) ? 1 : 0)} MB limit (bank_statements.max_file_mb)`
          : code === "LIMIT_FILE_COUNT" || code === "LIMIT_UNEXPECTED_FILE"
            ? "file: upload one statement file in the form field `file`"
            : `file: ${(error as Error).message}`
      next(new MedusaError(MedusaError.Types.INVALID_DATA, message))
    })
  }
}
