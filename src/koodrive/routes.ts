import { cancelJobRoute } from './cancel-job.js'
import { createShareTaskRoute } from './create-share-task.js'
import { publicTwin } from './route.js'
import { shareDownloadRoute } from './share-download.js'
import { shareFilesRoute } from './share-files.js'
import { shareTaskDetailRoute } from './share-task-detail.js'
import { shareUserInfoRoute } from './share-user-info.js'
import { shareVerifyRoute } from './share-verify.js'

/** Every endpoint of the emulated API, in the order they are registered under /koodrive/ose/v1. */
export const KOODRIVE_ROUTES = [
  shareUserInfoRoute,
  shareVerifyRoute,
  shareFilesRoute,
  createShareTaskRoute,
  shareTaskDetailRoute,
  shareDownloadRoute,
  cancelJobRoute,
] as const

/**
 * The public carrier family, under /koodrive/ose/v1/share/public/: the same endpoints (no cancel),
 * answered for whitelisted carriers with only X-Hw-Agentname (MOCK_PUBLIC_SHARES=true).
 */
export const PUBLIC_SHARE_ROUTES = [
  publicTwin(shareUserInfoRoute, 'getPublicShareUserInfo'),
  publicTwin(shareVerifyRoute, 'verifyPublicShare'),
  publicTwin(shareFilesRoute, 'listPublicShareFiles'),
  publicTwin(createShareTaskRoute, 'createPublicShareTask'),
  publicTwin(shareTaskDetailRoute, 'getPublicShareTaskDetail'),
  publicTwin(shareDownloadRoute, 'downloadPublicShareFile'),
] as const
