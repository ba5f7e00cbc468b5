// Each spec boots its own Medusa app: drop the ORM metadata a previous spec registered.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()
