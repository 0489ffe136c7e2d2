/**
 * The world the emulator ships with: realistic users, spaces, files and shares, so a frontend works
 * against it with zero setup. Deterministic: every ID is derived from a stable label (sha256), every
 * time is fixed. Call as a user with `Authorization: Bearer <token>` and `X-User-Id: <userId>`.
 *
 * | userId | name       | token       | app (appId / appSecret)    | space (containerId)                  | capacity | used                 |
 * |--------|------------|-------------|----------------------------|--------------------------------------|----------|----------------------|
 * | ann    | Ann Lee    | ann-token   | ann-app / ann-app-secret   | IAABh_RdhS8bOg0cA1684711052660690818 | 10 GiB   | 4.2 GB               |
 * | bob    | Bob Martin | bob-token   | bob-app / bob-app-secret   | IAAsEU0Nzt5g3_SQI1701615735894016895 | 10 GiB   | 0.9 GB               |
 * | carol  | Carol Chen | carol-token | -                          | IAACazW6JQtEKIbVc1697168336742322338 | 50 MiB   | 49 MiB (nearly full) |
 *
 * | # | shareId             | shortUrl            | owner | extractCode | shared items                                                   |
 * |---|---------------------|---------------------|-------|-------------|----------------------------------------------------------------|
 * | 1 | 1689765568237837824 | 1822239307136816339 | ann   | -           | the vendor example: Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI "Quarterly report.pdf" |
 * | 2 | 1842853752760486591 | 1674809720971723086 | bob   | -           | "Q3 launch kit": 9 files, one of each type, and a folder      |
 * | 3 | 1379292058976712619 | 1983286579505944677 | ann   | 31945314    | folder "Contracts" (protected)                                 |
 * | 4 | 1534414035250655069 | 1969498687219728097 | carol | -           | folder "Holiday 2024"; expired 2025-09-30                      |
 * | 5 | 1354926967719291466 | 1757868540708121087 | bob   | -           | folder "Website redesign": 4 levels, files at each             |
 * | 6 | 1083008791388619079 | 1701001396034384003 | ann   | -           | 1200 photos of "Camera roll", each shared (> 1000-file limit)  |
 * | 7 | 1779911499838975346 | 1169461451289139040 | carol | -           | "Old budget.xlsx", which is in the recycle bin                 |
 *
 * Dump targets in Ann's space: "root"; FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob "Saved from shares" (the
 * vendor example's target); FmqKIQwSGQ9yHmdbPgu13SG9mDv8hhXYM "Old drafts", in the recycle bin (fails).
 * Any dump over 1 MiB into Carol's space fails with "insufficient space".
 */
import { createHash } from 'node:crypto'
import type { Seed, SeedFile, SeedShare } from '../../../schemas/seed.js'
import { trustedSeed } from './seed.js'
import { ROOT_FOLDER_ID } from './world.js'

const digest = (label: string): Buffer => createHash('sha256').update(label).digest()

/** `F` + 32 URL-safe base64 chars, the vendor's fileId shape. */
const fileId = (label: string): string => `F${digest(label).toString('base64url').slice(0, 32)}`

/** 19 digits starting with 1 (shareId, shortUrl), below a signed 64-bit long. */
const decimalId = (label: string): string => `1${(digest(label).readBigUInt64BE(0) % 10n ** 18n).toString().padStart(18, '0')}`

/** `IAA` + 14 letters/digits/underscores + 19 digits, like `IAABh_RdhS8bOg0cA1684711052660690818`. */
const containerId = (label: string): string =>
  `IAA${digest(label).toString('base64url').slice(0, 14).replaceAll('-', '_')}${decimalId(label)}`

/** A stable pseudo-random integer in [0, range) for sizes and times that should vary but never change. */
const hashInt = (label: string, range: number): number => digest(label).readUInt32BE(4) % range

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** A folder (or the root) that files are added to; `label` is its path, from which child IDs follow. */
interface Place {
  fileId: string
  containerId: string
  label: string
}

/** A fixed fileId (the vendor's examples) instead of one derived from the path; in the recycle bin. */
type EntryOptions = { fileId?: string; recycled?: boolean }

class WorldBuilder {
  readonly files: SeedFile[] = []
  readonly shares: SeedShare[] = []

  root(containerId: string): Place {
    return { fileId: ROOT_FOLDER_ID, containerId, label: containerId }
  }

  folder(parent: Place, name: string, editedTime: string, options: EntryOptions = {}): Place {
    return this.#add(parent, name, { type: 'folder' }, editedTime, options)
  }

  file(parent: Place, name: string, size: number, editedTime: string, options: EntryOptions = {}): Place {
    return this.#add(parent, name, { type: 'file', size }, editedTime, options)
  }

  share(label: string, ownerId: string, space: Place, items: Place[], shareTime: string, extra: Partial<Pick<SeedShare, 'shareId' | 'extractCode' | 'expireTime'>> = {}): void {
    this.shares.push({
      shareId: decimalId(`share:${label}`),
      shortUrl: decimalId(`shortUrl:${label}`),
      ownerId,
      containerId: space.containerId,
      fileIds: items.map((item) => item.fileId),
      shareTime,
      ...extra,
    })
  }

  #add(parent: Place, name: string, kind: Pick<SeedFile, 'type' | 'size'>, editedTime: string, options: EntryOptions): Place {
    const label = `${parent.label}/${name}`
    const place = { fileId: options.fileId ?? fileId(label), containerId: parent.containerId, label }
    this.files.push({
      fileId: place.fileId,
      containerId: place.containerId,
      parentId: parent.fileId,
      name,
      ...kind,
      ...(options.recycled === true ? { recycled: true } : {}),
      editedTime,
    })
    return place
  }
}

/** `IMG_20250104_091532.jpg`: the name a phone gives a photo taken at `ms`. */
function photoName(ms: number): string {
  const stamp = new Date(ms).toISOString().replace(/[-:]/g, '')
  return `IMG_${stamp.slice(0, 8)}_${stamp.slice(9, 15)}.jpg`
}

/** Builds the default world afresh; the same document every time. */
export function buildDefaultWorld(): Seed {
  const b = new WorldBuilder()
  // Ann and Bob each have an app too, so app authentication (HMAC-SHA256) can be tried with zero setup.
  const ann = { userId: 'ann', name: 'Ann Lee', tokens: ['ann-token'], apps: [{ appId: 'ann-app', appSecret: 'ann-app-secret' }] }
  const bob = { userId: 'bob', name: 'Bob Martin', tokens: ['bob-token'], apps: [{ appId: 'bob-app', appSecret: 'bob-app-secret' }] }
  const carol = { userId: 'carol', name: 'Carol Chen', tokens: ['carol-token'] }
  const annSpace = 'IAABh_RdhS8bOg0cA1684711052660690818'
  const bobSpace = containerId('space:bob-martin')
  const carolSpace = containerId('space:carol')

  // Ann: the vendor example's space, the main "me" account.
  const annRoot = b.root(annSpace)
  const report = b.file(annRoot, 'Quarterly report.pdf', 3_276_800, '2025-11-03T07:01:40.000Z', { fileId: 'Fk63FCWhcDAga2puvYKRG1oTMjs-m30sI' })
  b.folder(annRoot, 'Saved from shares', '2025-10-20T09:12:05.318Z', { fileId: 'FhTB_fxx3LRszaivDFX9NN5JRNLnS9Gob' })
  const drafts = b.folder(annRoot, 'Old drafts', '2025-04-02T16:45:10.902Z', { recycled: true })
  b.file(drafts, 'Proposal v1.docx', 184_320, '2025-03-28T11:20:33.114Z', { recycled: true })
  const contracts = b.folder(annRoot, 'Contracts', '2026-02-11T10:03:27.551Z')
  b.file(contracts, 'Supplier agreement 2026.pdf', 1_048_912, '2026-02-11T10:03:27.551Z')
  b.file(contracts, 'NDA - Northwind.pdf', 402_117, '2026-01-19T14:38:02.006Z')
  const cameraRoll = b.folder(annRoot, 'Camera roll', '2025-12-30T19:41:12.000Z')
  const photos: Place[] = []
  for (let i = 0; i < 1200; i++) {
    // Roughly four photos a day from 4 January 2025, at varied times of day.
    const takenMs = Date.UTC(2025, 0, 4, 8) + i * 6 * 3_600_000 + hashInt(`photo-time:${i}`, 5 * 3_600_000)
    const name = photoName(takenMs)
    photos.push(b.file(cameraRoll, name, 1_800_000 + hashInt(`photo-size:${name}`, 3_400_000), new Date(takenMs).toISOString()))
  }

  // Bob: a launch kit with one file of every type, and a deep project folder.
  const bobRoot = b.root(bobSpace)
  const kit = b.folder(bobRoot, 'Q3 launch kit', '2025-07-14T08:30:00.000Z')
  const kitItems = [
    b.file(kit, 'Launch plan.pdf', 2_145_611, '2025-07-01T09:15:22.410Z'),
    b.file(kit, 'Press release.docx', 48_213, '2025-07-08T13:02:51.733Z'),
    b.file(kit, 'Budget.xlsx', 96_704, '2025-07-10T17:44:09.025Z'),
    b.file(kit, 'Keynote.pptx', 18_734_120, '2025-07-11T21:10:45.600Z'),
    b.file(kit, 'Hero shot.jpg', 4_382_906, '2025-06-27T15:55:18.000Z'),
    b.file(kit, 'Teaser.mp4', 187_442_871, '2025-07-12T10:27:36.250Z'),
    b.file(kit, 'Jingle.mp3', 3_911_402, '2025-06-30T12:00:07.812Z'),
    b.file(kit, 'Brand assets.zip', 64_220_558, '2025-07-13T18:31:59.377Z'),
    b.file(kit, 'README.txt', 1_337, '2025-07-14T08:29:41.090Z'),
  ]
  const kitDrafts = b.folder(kit, 'Drafts', '2025-07-09T11:11:11.111Z')
  b.file(kitDrafts, 'Press release draft.docx', 41_002, '2025-07-05T16:20:14.208Z')
  kitItems.push(kitDrafts)
  const site = b.folder(bobRoot, 'Website redesign', '2026-03-02T09:00:00.000Z')
  b.file(site, 'Brief.docx', 62_488, '2026-01-12T10:14:52.903Z')
  b.file(site, 'Timeline.xlsx', 31_207, '2026-01-15T08:47:19.260Z')
  const design = b.folder(site, 'Design', '2026-02-20T16:05:43.118Z')
  b.file(design, 'Style guide.pdf', 5_902_334, '2026-02-03T11:32:08.577Z')
  b.file(design, 'Moodboard.jpg', 7_120_455, '2026-01-22T14:18:30.000Z')
  const mockups = b.folder(design, 'Mockups', '2026-02-20T16:05:43.118Z')
  b.file(mockups, 'Home.png', 2_874_519, '2026-02-18T09:41:26.345Z')
  b.file(mockups, 'Checkout.png', 2_301_776, '2026-02-20T16:05:43.118Z')
  const archive = b.folder(mockups, 'Archive', '2026-02-10T12:00:00.000Z')
  b.file(archive, 'Home v1.png', 2_690_032, '2026-02-09T17:22:51.640Z')
  const assets = b.folder(site, 'Assets', '2026-02-25T13:37:00.000Z')
  b.file(assets, 'Logo.svg', 14_882, '2026-01-30T10:10:10.010Z')
  b.file(assets, 'Hero loop.mp4', 24_505_870, '2026-02-25T13:36:12.482Z')
  // Bob's own photo backup, so his space looks lived in.
  b.file(bobRoot, 'Photos 2025 backup.zip', 612_300_144, '2026-01-03T22:14:05.730Z')

  // Carol: 50 MiB, about 49 MiB of it used.
  const carolRoot = b.root(carolSpace)
  const documents = b.folder(carolRoot, 'Documents', '2025-05-16T08:02:44.501Z')
  b.file(documents, 'Tax return 2025.pdf', 1_843_200, '2025-04-28T19:30:12.640Z')
  b.file(documents, 'Lease agreement.pdf', 2_516_582, '2025-05-16T08:02:44.501Z')
  const holiday = b.folder(carolRoot, 'Holiday 2024', '2025-01-08T20:15:00.000Z')
  b.file(holiday, 'Beach.jpg', 3_481_923, '2025-01-06T11:24:37.000Z')
  b.file(holiday, 'Sunset.jpg', 2_904_117, '2025-01-06T18:52:09.000Z')
  b.file(holiday, 'Boat trip.mp4', 40_139_772, '2025-01-07T14:03:51.000Z')
  const budget = b.file(carolRoot, 'Old budget.xlsx', 482_304, '2025-02-14T09:45:30.219Z', { recycled: true })
  b.file(carolRoot, 'Notes.txt', 12_288, '2025-11-21T07:58:03.847Z')

  b.share('vendor-example', ann.userId, annRoot, [report], '2025-11-03T07:05:12.000Z', {
    shareId: '1689765568237837824',
  })
  b.share('launch-kit', bob.userId, bobRoot, kitItems, '2025-07-14T08:35:20.114Z')
  b.share('contracts', ann.userId, annRoot, [contracts], '2026-02-11T10:05:48.932Z', { extractCode: '31945314' })
  b.share('holiday-expired', carol.userId, carolRoot, [holiday], '2025-09-23T18:00:00.000Z', {
    expireTime: '2025-09-30T18:00:00.000Z',
  })
  b.share('website-redesign', bob.userId, bobRoot, [site], '2026-03-02T09:10:31.775Z')
  b.share('camera-roll', ann.userId, annRoot, photos, '2025-12-30T19:45:00.000Z')
  b.share('old-budget', carol.userId, carolRoot, [budget], '2025-02-10T12:30:00.000Z')

  return {
    users: [ann, bob, carol],
    spaces: [
      { containerId: annSpace, ownerId: ann.userId, capacityBytes: 10 * GiB },
      { containerId: bobSpace, ownerId: bob.userId, capacityBytes: 10 * GiB },
      { containerId: carolSpace, ownerId: carol.userId, capacityBytes: 50 * MiB },
    ],
    files: b.files,
    shares: b.shares,
  }
}

/** The built-in world, built once and frozen (trusted: worlds built from it skip the seed check). */
export const DEFAULT_WORLD: Seed = trustedSeed(buildDefaultWorld())
