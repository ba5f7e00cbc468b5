/// <reference types="vite/client" />

/**
 * The store's `admin.backendUrl`, substituted by Medusa's admin bundler when the
 * store builds its admin (not at this plugin's `plugin:build`); absent elsewhere.
 */
declare const __BACKEND_URL__: string | undefined
