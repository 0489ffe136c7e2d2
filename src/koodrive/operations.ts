/** The operations fault rules can name: every emulated route's operationId (the admin API is never faulted). */
export const FAULTABLE_OPERATIONS = [
  'getShareUserInfo',
  'verifyShare',
  'listShareFiles',
  'createShareTask',
  'getShareTaskDetail',
  'downloadShareFile',
  'cancelJob',
  'downloadObject',
] as const
