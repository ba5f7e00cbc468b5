// jest's globalSetup for the browser suite: one build, migration and seed for all its specs.
import { prepareBrowserStores } from "./browser"

export default prepareBrowserStores
