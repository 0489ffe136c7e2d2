import t from 'tap'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'
import { startTestApp, type TestApp } from '../helpers/app.js'
import { FILES_URL, kdstokenFor, postApi } from '../helpers/requests.js'
import { defaultWorldFile, idOf, SHARES, SPACES } from '../helpers/world.js'
import { assertKooDriveError } from '../helpers/envelopes.js'

const PARAMETER_INVALID = 13000102
const FILE_NOT_IN_SHARE = 13000302
const RESOURCE_NOT_FOUND = 13000309
const NO_PERMISSION = 13000410

interface ShareFileBody {
  id: string
  fileName: string
  fileType: number
  parentFolder: string[]
  fileSuffix: string
  size: number
  containers: string[]
  editedTime: string
}
interface FilesPage {
  code: number
  msg: string
  nextCursor?: string
  link: { shareId: string; status: number }
  files: ShareFileBody[]
}

/** A default-world entry as share/files shows it; fileType and fileSuffix are what the test expects of its name. */
function shareFile(name: string, fileType: number, fileSuffix: string): ShareFileBody {
  const file = defaultWorldFile(name)
  return {
    id: file.fileId,
    fileName: name,
    fileType,
    parentFolder: [file.parentId],
    fileSuffix,
    size: file.size ?? 0,
    containers: [file.containerId],
    editedTime: file.editedTime as string,
  }
}

const names = (page: FilesPage) => page.files.map((file) => file.fileName)

async function listFiles(test: TestApp, body: Record<string, unknown>, headers: Record<string, string | undefined> = {}): Promise<FilesPage> {
  const res = await postApi(test, FILES_URL, body, headers)
  if (res.statusCode !== 200) throw new Error(`share/files failed: ${res.body}`)
  return res.json() as FilesPage
}

const launchKitLink = {
  shareId: SHARES.launchKit.shareId,
  shortUrl: SHARES.launchKit.shortUrl,
  shareTime: '2025-07-14T08:35:20.114Z',
  ownerId: 'bob',
  ownerName: 'Bob Martin',
  expireDate: '-1',
  status: 0,
}

t.test('lists the top level of a share: its shared items, folders first, then newest first', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, FILES_URL, { shortUrl: SHARES.launchKit.shortUrl })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: launchKitLink,
    files: [
      shareFile('Drafts', 10, ''),
      shareFile('README.txt', 45, 'txt'),
      shareFile('Brand assets.zip', 35, 'zip'),
      shareFile('Teaser.mp4', 20, 'mp4'),
      shareFile('Keynote.pptx', 28, 'pptx'),
      shareFile('Budget.xlsx', 27, 'xlsx'),
      shareFile('Press release.docx', 26, 'docx'),
      shareFile('Launch plan.pdf', 45, 'pdf'),
      shareFile('Jingle.mp3', 30, 'mp3'),
      shareFile('Hero shot.jpg', 15, 'jpg'),
    ],
  })
})

t.test('a file object carries id, fileName, fileType, parentFolder, fileSuffix, size, containers and ISO editedTime', async (t) => {
  const test = await startTestApp(t)
  const page = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl, fileName: 'Launch plan' })
  t.strictSame(page.files, [
    {
      id: 'FtnraefdSWweg0sR0_P-VN2ELNWRnMf8-',
      fileName: 'Launch plan.pdf',
      fileType: 45,
      parentFolder: [idOf('Q3 launch kit')],
      fileSuffix: 'pdf',
      size: 2_145_611,
      containers: [SPACES.bob],
      editedTime: '2025-07-01T09:15:22.410Z',
    },
  ])
  t.notOk('nextCursor' in page, 'a single page has no nextCursor')
})

t.test("a folder's children, through parentFolder, down to the fourth level", async (t) => {
  const test = await startTestApp(t)
  const shortUrl = SHARES.websiteRedesign.shortUrl
  const top = await listFiles(test, { shortUrl })
  t.strictSame(top.files, [shareFile('Website redesign', 10, '')], 'the top level is the shared folder')
  const site = await listFiles(test, { shortUrl, parentFolder: idOf('Website redesign') })
  t.strictSame(site.files, [
    shareFile('Assets', 10, ''),
    shareFile('Design', 10, ''),
    shareFile('Timeline.xlsx', 27, 'xlsx'),
    shareFile('Brief.docx', 26, 'docx'),
  ])
  t.strictSame(site.link, (await listFiles(test, { shortUrl })).link, 'the link is the share, whatever the folder')
  const mockups = await listFiles(test, { shortUrl, parentFolder: idOf('Mockups') })
  t.strictSame(mockups.files, [shareFile('Archive', 10, ''), shareFile('Checkout.png', 15, 'png'), shareFile('Home.png', 15, 'png')])
  const archive = await listFiles(test, { shortUrl, parentFolder: idOf('Archive') })
  t.strictSame(archive.files, [shareFile('Home v1.png', 15, 'png')])
  t.strictSame(archive.files[0]?.parentFolder, [idOf('Archive')])
  const assets = await listFiles(test, { shortUrl, parentFolder: idOf('Assets') })
  t.strictSame(assets.files, [shareFile('Hero loop.mp4', 20, 'mp4'), shareFile('Logo.svg', 15, 'svg')])
})

t.test('parentFolder must be a folder of the share', async (t) => {
  const test = await startTestApp(t)
  const shortUrl = SHARES.launchKit.shortUrl
  t.test('a file is 13000102', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, parentFolder: idOf('Launch plan.pdf') })
    assertKooDriveError(t, res, PARAMETER_INVALID, `Parameter invalid: parentFolder ${idOf('Launch plan.pdf')} is a file, not a folder`)
  })
  const notInShare = (fileId: string) => `File not in the share: ${fileId} is not a file of share ${SHARES.launchKit.shareId}`
  t.test('a folder of the same space outside the share is 13000302', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, parentFolder: idOf('Website redesign') })
    assertKooDriveError(t, res, FILE_NOT_IN_SHARE, notInShare(idOf('Website redesign')))
  })
  t.test('the folder the shared items sit in (above the share) is 13000302', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, parentFolder: idOf('Q3 launch kit') })
    assertKooDriveError(t, res, FILE_NOT_IN_SHARE, notInShare(idOf('Q3 launch kit')))
  })
  t.test('a folder of another space is 13000302', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, parentFolder: idOf('Contracts') })
    assertKooDriveError(t, res, FILE_NOT_IN_SHARE, notInShare(idOf('Contracts')))
  })
  t.test('an ID that exists nowhere is 13000309 (resource not found), even in lenient mode', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, parentFolder: 'Fnope' })
    assertKooDriveError(t, res, 13000309, 'Resource not found: file Fnope')
  })
})

t.test('paging: walking nextCursor through the 1200-photo share gives every photo exactly once', async (t) => {
  const test = await startTestApp(t)
  const photoIds = DEFAULT_WORLD.files.filter((file) => file.parentId === idOf('Camera roll')).map((file) => file.fileId)
  t.equal(photoIds.length, 1200)
  for (const pageSize of [100, 7]) {
    t.test(`pageSize ${pageSize}`, async (t) => {
      const seen: string[] = []
      const times: string[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page = await listFiles(test, { shortUrl: SHARES.cameraRoll.shortUrl, pageSize, ...(cursor === undefined ? {} : { pageCursor: cursor }) })
        pages++
        cursor = page.nextCursor
        t.equal(page.files.length, cursor === undefined ? 1200 - seen.length : pageSize, `page ${pages} is full unless it is the last`)
        seen.push(...page.files.map((file) => file.id))
        times.push(...page.files.map((file) => file.editedTime))
      } while (cursor !== undefined && pages < 1000)
      t.equal(pages, Math.ceil(1200 / pageSize))
      t.equal(new Set(seen).size, seen.length, 'no photo twice')
      t.strictSame([...seen].sort(), [...photoIds].sort(), 'no photo missing')
      t.strictSame(times, [...times].sort().reverse(), 'newest first across pages')
    })
  }
  t.test('the default pageSize is 100', async (t) => {
    const page = await listFiles(test, { shortUrl: SHARES.cameraRoll.shortUrl })
    t.equal(page.files.length, 100)
    t.type(page.nextCursor, 'string')
  })
  t.test('a page that ends exactly at the last item has no nextCursor', async (t) => {
    const page = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl, pageSize: 5 })
    t.equal(page.files.length, 5)
    const last = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl, pageSize: 5, pageCursor: page.nextCursor })
    t.equal(last.files.length, 5)
    t.notOk('nextCursor' in last)
  })
})

t.test('an invalid pageCursor is 13000102', async (t) => {
  const test = await startTestApp(t)
  const message = 'Parameter invalid: pageCursor is not a cursor this API gave out (use nextCursor from the previous page)'
  const forged = (text: string) => Buffer.from(text).toString('base64url')
  for (const pageCursor of ['nope', forged('o:-1'), forged('o:1234567890'), forged('offset:5'), forged('o:5 ')]) {
    const res = await postApi(test, FILES_URL, { shortUrl: SHARES.cameraRoll.shortUrl, pageCursor })
    assertKooDriveError(t, res, PARAMETER_INVALID, message)
  }
})

t.test('sorting: sortType 1 name, 2 size, 4 modified, each both ways, folders always first', async (t) => {
  const test = await startTestApp(t)
  const kitFiles = {
    1: ['Brand assets.zip', 'Budget.xlsx', 'Hero shot.jpg', 'Jingle.mp3', 'Keynote.pptx', 'Launch plan.pdf', 'Press release.docx', 'README.txt', 'Teaser.mp4'],
    2: ['README.txt', 'Press release.docx', 'Budget.xlsx', 'Launch plan.pdf', 'Jingle.mp3', 'Hero shot.jpg', 'Keynote.pptx', 'Brand assets.zip', 'Teaser.mp4'],
    4: ['Hero shot.jpg', 'Jingle.mp3', 'Launch plan.pdf', 'Press release.docx', 'Budget.xlsx', 'Keynote.pptx', 'Teaser.mp4', 'Brand assets.zip', 'README.txt'],
  }
  for (const sortType of [1, 2, 4] as const) {
    t.test(`sortType ${sortType} ascending`, async (t) => {
      const page = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl, sortType, sortDirection: 1 })
      t.strictSame(names(page), ['Drafts', ...kitFiles[sortType]])
    })
    t.test(`sortType ${sortType} descending`, async (t) => {
      const page = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl, sortType, sortDirection: 2 })
      t.strictSame(names(page), ['Drafts', ...[...kitFiles[sortType]].reverse()])
    })
  }
  t.test('the default is sortType 4, sortDirection 2: newest first', async (t) => {
    const page = await listFiles(test, { shortUrl: SHARES.launchKit.shortUrl })
    t.strictSame(names(page), ['Drafts', ...[...kitFiles[4]].reverse()])
  })
  t.test('two folders are sorted among themselves, still before the files', async (t) => {
    const parentFolder = idOf('Website redesign')
    const shortUrl = SHARES.websiteRedesign.shortUrl
    t.strictSame(names(await listFiles(test, { shortUrl, parentFolder, sortType: 1, sortDirection: 1 })), ['Assets', 'Design', 'Brief.docx', 'Timeline.xlsx'])
    t.strictSame(names(await listFiles(test, { shortUrl, parentFolder, sortType: 1, sortDirection: 2 })), ['Design', 'Assets', 'Timeline.xlsx', 'Brief.docx'])
    t.strictSame(names(await listFiles(test, { shortUrl, parentFolder, sortType: 4, sortDirection: 1 })), ['Design', 'Assets', 'Brief.docx', 'Timeline.xlsx'])
    t.strictSame(names(await listFiles(test, { shortUrl, parentFolder, sortType: 2, sortDirection: 2 })).slice(2), ['Brief.docx', 'Timeline.xlsx'])
  })
})

t.test('fileName keeps the entries of the listed level whose name contains it, in any case', async (t) => {
  const test = await startTestApp(t)
  const shortUrl = SHARES.launchKit.shortUrl
  t.strictSame(names(await listFiles(test, { shortUrl, fileName: 'rE' })), ['README.txt', 'Press release.docx'])
  t.strictSame(names(await listFiles(test, { shortUrl, fileName: 'DRAFT' })), ['Drafts'], 'a folder matches too; "Press release draft.docx" inside it is not searched')
  t.strictSame(names(await listFiles(test, { shortUrl, fileName: '.MP' })), ['Teaser.mp4', 'Jingle.mp3'])
  const none = await listFiles(test, { shortUrl, fileName: 'no such file' })
  t.strictSame(none.files, [])
  t.notOk('nextCursor' in none)
  t.test('filtering and paging together', async (t) => {
    // Photos of January 2025: from the 4th, about four a day.
    const january = DEFAULT_WORLD.files.filter((file) => file.name.startsWith('IMG_202501')).length
    t.ok(january > 50)
    const first = await listFiles(test, { shortUrl: SHARES.cameraRoll.shortUrl, fileName: 'img_202501', pageSize: 50 })
    t.equal(first.files.length, 50)
    const rest: string[] = []
    for (let cursor = first.nextCursor; cursor !== undefined; ) {
      const page = await listFiles(test, { shortUrl: SHARES.cameraRoll.shortUrl, fileName: 'img_202501', pageSize: 50, pageCursor: cursor })
      rest.push(...names(page))
      cursor = page.nextCursor
    }
    t.equal(50 + rest.length, january)
    t.ok([...names(first), ...rest].every((name) => name.startsWith('IMG_202501')))
  })
})

t.test('files in the recycle bin are not listed', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, FILES_URL, { shortUrl: SHARES.oldBudget.shortUrl })
  t.strictSame(res.json(), {
    code: 0,
    msg: 'Success',
    link: {
      shareId: SHARES.oldBudget.shareId,
      shortUrl: SHARES.oldBudget.shortUrl,
      shareTime: '2025-02-10T12:30:00.000Z',
      ownerId: 'carol',
      ownerName: 'Carol Chen',
      expireDate: '-1',
      status: 1,
    },
    files: [],
  })
})

t.test('an expired share is 13000309', async (t) => {
  const test = await startTestApp(t)
  const res = await postApi(test, FILES_URL, { shortUrl: SHARES.holidayExpired.shortUrl })
  assertKooDriveError(t, res, RESOURCE_NOT_FOUND, `Resource not found: share ${SHARES.holidayExpired.shareId} has expired`)
})

t.test('a protected share needs a live kdstoken of this share and this caller', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_KDSTOKEN_TTL_S: '60' } })
  const { shortUrl, extractCode, shareId } = SHARES.contracts
  const contracts = [shareFile('Contracts', 10, '')]
  const noPermission = (problem: string) => `No permission: ${problem}`

  t.test('without a kdstoken it is 13000410', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl })
    assertKooDriveError(t, res, NO_PERMISSION, noPermission('this share has an access code: call share/verify and send its kdstoken'))
  })
  t.test('with a made-up kdstoken it is 13000410', async (t) => {
    const res = await postApi(test, FILES_URL, { shortUrl, kdstoken: 'aea2968ec8cfac338cd4647f071c44644c491d0a2039cd6c' })
    assertKooDriveError(t, res, NO_PERMISSION, noPermission('the kdstoken is not valid for this share and user'))
  })
  t.test('with a fresh kdstoken it lists the share, and the folder inside', async (t) => {
    const kdstoken = await kdstokenFor(test, shortUrl, extractCode)
    t.strictSame((await listFiles(test, { shortUrl, kdstoken })).files, contracts)
    const inside = await listFiles(test, { shortUrl, kdstoken, parentFolder: idOf('Contracts') })
    t.strictSame(inside.files, [shareFile('Supplier agreement 2026.pdf', 45, 'pdf'), shareFile('NDA - Northwind.pdf', 45, 'pdf')])
    t.equal(inside.link.shareId, shareId)
  })
  t.test('a kdstoken expires MOCK_KDSTOKEN_TTL_S after share/verify', async (t) => {
    const kdstoken = await kdstokenFor(test, shortUrl, extractCode)
    test.clock.advance(59_999)
    t.strictSame((await listFiles(test, { shortUrl, kdstoken })).files, contracts, 'still valid 1 ms before')
    test.clock.advance(1)
    const res = await postApi(test, FILES_URL, { shortUrl, kdstoken })
    assertKooDriveError(t, res, NO_PERMISSION, noPermission('the kdstoken has expired: call share/verify again'))
    const renewed = await kdstokenFor(test, shortUrl, extractCode)
    t.strictSame((await listFiles(test, { shortUrl, kdstoken: renewed })).files, contracts, 'verifying again gives a working token')
  })
  t.test("another user's kdstoken is 13000410", async (t) => {
    const kdstoken = await kdstokenFor(test, shortUrl, extractCode, { 'x-user-id': 'ann' })
    const res = await postApi(test, FILES_URL, { shortUrl, kdstoken }, { 'x-user-id': 'bob' })
    assertKooDriveError(t, res, NO_PERMISSION, noPermission('the kdstoken is not valid for this share and user'))
    t.equal((await postApi(test, FILES_URL, { shortUrl, kdstoken }, { 'x-user-id': 'ann' })).statusCode, 200, 'the owner of the token gets in')
  })
  t.test("another share's kdstoken is 13000410", async (t) => {
    const kdstoken = await kdstokenFor(test, SHARES.launchKit.shortUrl, 'whatever')
    const res = await postApi(test, FILES_URL, { shortUrl, kdstoken })
    assertKooDriveError(t, res, NO_PERMISSION, noPermission('the kdstoken is not valid for this share and user'))
  })
})

t.test('lenient mode: an unknown shortUrl lists the made-up share: nine sample files', async (t) => {
  const test = await startTestApp(t)
  const page = await listFiles(test, { shortUrl: 'made-up-link', sortType: 1, sortDirection: 1 })
  t.equal(page.files.length, 9)
  t.match(page.link, { shortUrl: 'made-up-link', status: 0 })
  for (const file of page.files) {
    t.match(file.id, /^F[A-Za-z0-9_-]{32}$/)
    t.strictSame(file.parentFolder, ['root'])
    t.match(file.containers, [/^IAA/])
    t.ok([15, 20, 26, 27, 28, 30, 35, 45].includes(file.fileType), `${file.fileName} has a file type`)
  }
  t.strictSame(await listFiles(test, { shortUrl: 'made-up-link', sortType: 1, sortDirection: 1 }), page, 'the same on a second call')
})

t.test('ties are broken by file ID, so pages never overlap: the made-up share, all edited at the same moment', async (t) => {
  const test = await startTestApp(t)
  const all = await listFiles(test, { shortUrl: 'made-up-link' })
  t.equal(new Set(all.files.map((file) => file.editedTime)).size, 1, 'one editedTime for all nine')
  const ids = all.files.map((file) => file.id)
  t.strictSame(ids, [...ids].sort(), 'newest first, then by ID')
  t.strictSame((await listFiles(test, { shortUrl: 'made-up-link', sortDirection: 1 })).files.map((file) => file.id), ids, 'by ID ascending either way')
  const paged: string[] = []
  for (let cursor: string | undefined, pages = 0; pages === 0 || (cursor !== undefined && pages < 10); pages++) {
    const page = await listFiles(test, { shortUrl: 'made-up-link', pageSize: 4, ...(cursor === undefined ? {} : { pageCursor: cursor }) })
    paged.push(...page.files.map((file) => file.id))
    cursor = page.nextCursor
  }
  t.strictSame(paged, ids, 'pages of 4 give the same nine, once each')
})

t.test('strict mode: an unknown shortUrl is 13000309', async (t) => {
  const test = await startTestApp(t, { env: { MOCK_WORLD: 'strict' } })
  const res = await postApi(test, FILES_URL, { shortUrl: 'made-up-link' }, { authorization: 'Bearer bob-token', 'x-user-id': 'bob' })
  assertKooDriveError(t, res, RESOURCE_NOT_FOUND, 'Resource not found: no share has shortUrl made-up-link')
})

t.test('the body rules: each broken rule is 400 13000102 naming the field', async (t) => {
  const test = await startTestApp(t)
  const shortUrl = SHARES.launchKit.shortUrl
  const cases: [string, unknown, string][] = [
    ['rejects a missing shortUrl', { pageSize: 10 }, 'shortUrl is required'],
    ['rejects pageSize 0', { shortUrl, pageSize: 0 }, 'pageSize must be >= 1'],
    ['rejects pageSize 101', { shortUrl, pageSize: 101 }, 'pageSize must be <= 100'],
    ['rejects pageSize 1.5', { shortUrl, pageSize: 1.5 }, 'pageSize must be an integer'],
    ['rejects pageSize "10": no coercion', { shortUrl, pageSize: '10' }, 'pageSize must be an integer'],
    ['rejects sortType 3', { shortUrl, sortType: 3 }, 'sortType must be one of 1, 2, 4'],
    ['rejects sortDirection 0', { shortUrl, sortDirection: 0 }, 'sortDirection must be one of 1, 2'],
    ['rejects an empty pageCursor', { shortUrl, pageCursor: '' }, 'pageCursor must not be empty'],
    ['rejects an empty fileName', { shortUrl, fileName: '' }, 'fileName must not be empty'],
    ['rejects an empty parentFolder', { shortUrl, parentFolder: '' }, 'parentFolder must not be empty'],
    ['rejects an empty kdstoken', { shortUrl, kdstoken: '' }, 'kdstoken must not be empty'],
    ['rejects an unknown field', { shortUrl, shareId: SHARES.launchKit.shareId }, 'shareId is not a known field'],
  ]
  for (const [name, body, message] of cases) {
    t.test(name, async (t) => {
      assertKooDriveError(t, await postApi(test, FILES_URL, body), PARAMETER_INVALID, `Parameter invalid: ${message}`)
    })
  }
})
