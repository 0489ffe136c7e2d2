/**
 * Request examples of the API docs, by operationId: each one works against a fresh emulator with
 * the default world (Swagger UI's "Try it out" sends the first), so none is generated from a schema.
 * Where a request needs what an earlier call returned (a taskId), the summary says so.
 */

export interface NamedExample {
  summary: string
  value: unknown
}

const ANN_SPACE = 'IAABh_RdhS8bOg0cA1684711052660690818'
const VENDOR_SHARE_ID = '1689765568237837824'
const VENDOR_FILE_ID = 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI'
/** A taskId in the vendor's shape; a real one is what createShareTask returned. */
const TASK_ID = '1689765568237837824'

export const REQUEST_EXAMPLES: Record<string, Record<string, NamedExample>> = {
  verifyShare: {
    contracts: { summary: 'the access code of Ann\'s "Contracts" share', value: { shortUrl: '1983286579505944677', extractCode: '31945314' } },
  },
  listShareFiles: {
    vendorShare: { summary: 'the vendor example\'s share', value: { shortUrl: '1822239307136816339' } },
    byName: { summary: 'Bob\'s "Q3 launch kit", 5 a page, by name', value: { shortUrl: '1674809720971723086', pageSize: 5, sortType: 1, sortDirection: 1 } },
  },
  createShareTask: {
    packageDownload: {
      summary: 'package download (zip) of the vendor example\'s file; works every time',
      value: { taskType: 1, containerId: ANN_SPACE, fileIds: [VENDOR_FILE_ID], shareId: VENDOR_SHARE_ID, zipName: 'Quarterly report.zip' },
    },
    vendorDump: {
      summary: 'the vendor\'s own example: dump into Ann\'s "Saved from shares" (once: a second copy there is 13000312)',
      value: {
        taskType: 2,
        containerId: ANN_SPACE,
        fileIds: [VENDOR_FILE_ID],
        shareId: VENDOR_SHARE_ID,
        kdstoken: 'aea2968ec8cfac338cd4647f071c44644c491d0a2039cd6c',
        targetFileId: { fileId: 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob', containerId: ANN_SPACE },
      },
    },
  },
  getShareTaskDetail: {
    poll: { summary: 'put in the taskId createShareTask returned', value: { taskId: TASK_ID, shareId: VENDOR_SHARE_ID } },
  },
  downloadShareFile: {
    vendorFile: { summary: 'the vendor example\'s file', value: { shareId: VENDOR_SHARE_ID, fileId: VENDOR_FILE_ID } },
  },
  cancelJob: {
    cancelTask: { summary: 'put in the taskId of a pending or processing task', value: { jobId: TASK_ID } },
  },
  issueToken: {
    ann: { summary: 'a token for Ann, living MOCK_TOKEN_TTL_S unused', value: { userId: 'ann' } },
    shortLived: { summary: 'a token for Bob that expires after a minute unused', value: { userId: 'bob', ttlS: 60 } },
  },
  advanceClock: {
    completeTasks: { summary: 'three seconds on: a task created now completes', value: { advanceMs: 3000 } },
  },
  actOnTask: {
    complete: { summary: 'complete the task now', value: { action: 'complete' } },
    partial: { summary: 'end it partly failed', value: { action: 'partial' } },
  },
  addFault: {
    throttle: {
      summary: 'every third poll throttled, with Retry-After',
      value: { id: 'throttle', operation: 'getShareTaskDetail', every: 3, error: 'APIGW.0308', retryAfterS: 2 },
    },
    slowNetwork: { summary: 'latency drawn between 100 and 500 ms', value: { latencyMs: [100, 500] } },
  },
  replaceFaults: {
    warmUp: {
      summary: 'the first 3 creates fail, and a partly failed dump',
      value: [
        { id: 'warm-up', operation: 'createShareTask', first: 3, error: 13000201 },
        { id: 'partial-dump', operation: 'createShareTask', match: { taskType: 2 }, task: { outcome: 'partial' } },
      ],
    },
  },
  addShare: {
    oneFile: {
      summary: 'share Ann\'s quarterly report again, under a new link',
      value: { share: { shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'ann', containerId: ANN_SPACE, fileIds: [VENDOR_FILE_ID] } },
    },
  },
  replaceWorld: {
    smallWorld: {
      summary: 'one user, one space, one file, one share protected by an access code',
      value: {
        users: [{ userId: 'u1', name: 'Ann', tokens: ['t-ann'] }],
        spaces: [{ containerId: 'IAAann1', ownerId: 'u1', capacityBytes: 10737418240 }],
        files: [{ fileId: 'Fa', containerId: 'IAAann1', parentId: 'root', name: 'a.pdf', type: 'file', size: 1024 }],
        shares: [
          { shareId: '1000000000000000001', shortUrl: '1000000000000000002', ownerId: 'u1', containerId: 'IAAann1', fileIds: ['Fa'], extractCode: '31945314' },
        ],
      },
    },
  },
}
