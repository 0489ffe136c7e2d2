import { cancelJobRoute } from './cancel-job.js'
import { createShareTaskRoute } from './create-share-task.js'
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
