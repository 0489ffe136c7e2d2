import { DOWNLOAD_OBJECT_OPERATION } from './object-storage.js'
import { KOODRIVE_ROUTES, PUBLIC_SHARE_ROUTES } from './routes.js'

/**
 * The operations fault rules can name: every emulated route's operationId, from the lists that
 * register them (the public family's too), and the object store's (the admin API is never
 * faulted). A new endpoint is faultable by being registered.
 */
export const FAULTABLE_OPERATIONS = [
  ...KOODRIVE_ROUTES.map((route) => route.operationId),
  ...PUBLIC_SHARE_ROUTES.map((route) => route.operationId),
  DOWNLOAD_OBJECT_OPERATION,
] as const
