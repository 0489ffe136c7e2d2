import type { World } from '../../src/domain/world/world.js'
import type { SeedFile } from '../../schemas/seed.js'
import { DEFAULT_WORLD } from '../../src/domain/world/default-world.js'

/** The default world's spaces (src/domain/world/default-world.ts). */
export const SPACES = {
  ann: 'IAABh_RdhS8bOg0cA1684711052660690818',
  bob: 'IAAsEU0Nzt5g3_SQI1701615735894016895',
  carol: 'IAACazW6JQtEKIbVc1697168336742322338',
} as const

/** The default world's shares, as the table at the top of src/domain/world/default-world.ts lists them. */
export const SHARES = {
  vendorExample: { shareId: '1689765568237837824', shortUrl: '1822239307136816339', ownerId: 'ann', containerId: SPACES.ann },
  launchKit: { shareId: '1842853752760486591', shortUrl: '1674809720971723086', ownerId: 'bob', containerId: SPACES.bob },
  contracts: { shareId: '1379292058976712619', shortUrl: '1983286579505944677', ownerId: 'ann', containerId: SPACES.ann, extractCode: '31945314' },
  holidayExpired: { shareId: '1534414035250655069', shortUrl: '1969498687219728097', ownerId: 'carol', containerId: SPACES.carol },
  websiteRedesign: { shareId: '1354926967719291466', shortUrl: '1757868540708121087', ownerId: 'bob', containerId: SPACES.bob },
  cameraRoll: { shareId: '1083008791388619079', shortUrl: '1701001396034384003', ownerId: 'ann', containerId: SPACES.ann },
  oldBudget: { shareId: '1779911499838975346', shortUrl: '1169461451289139040', ownerId: 'carol', containerId: SPACES.carol },
} as const

/** The default world's file or folder called `name` (optionally in one space); it must be the only one. */
export function defaultWorldFile(name: string, containerId?: string): SeedFile {
  const found = DEFAULT_WORLD.files.filter((file) => file.name === name && (containerId === undefined || file.containerId === containerId))
  if (found.length !== 1) throw new Error(`the default world has ${found.length} entries called "${name}"`)
  return found[0] as SeedFile
}

/** The fileId of the default world's entry called `name`. */
export const idOf = (name: string, containerId?: string): string => defaultWorldFile(name, containerId).fileId

/**
 * Sends a file to the recycle bin, as its owner would while a task runs (no API does it): the world
 * takes its own copies first (a world reads its seed's frozen entries until it changes), and the
 * file is replaced, not edited, as the world itself never edits an entry in place.
 */
export function recycleFile(world: World, fileId: string): void {
  world.own()
  const file = world.files.get(fileId)
  if (file === undefined) throw new Error(`no file ${fileId}`)
  world.files.set(fileId, { ...file, recycled: true })
}
