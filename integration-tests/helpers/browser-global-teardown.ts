// jest's globalTeardown for the browser suite: the seeded database goes with the run.
import { dropBrowserTemplate } from "./browser"

export default dropBrowserTemplate
