import { DOWNLOAD_OBJECT_OPERATION } from './object-storage.js'
import { KOODRIVE_ROUTES } from './routes.js'

/**
 * The operations fault rules can name: every emulated route's operationId, from the list that
 * registers them, and the object store's (the admin API is never faulted). A new endpoint is
 * faultable by being registered.
 */
export const FAULTABLE_OPERATIONS = [...KOODRIVE_ROUTES.map((route) => route.operationId), DOWNLOAD_OBJECT_OPERATION] as const
